package io.playbill.gateway.ledger;

import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.UnderModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import io.playbill.ledger.api.LedgerTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every input rule, in billing mode under on the real broker: each bad request is refused with its code, and
 * nothing reaches the ledger (the gateway's producer is flushed, then the requests topic's end offsets compared).
 */
class BadInputTest extends UnderModeGatewayTest {

    private static final String USER = UserTokens.of("carol");
    private static final String ADMIN = UserTokens.of("root", "admin");
    private static final String PAD_OVER_8_KIB = "x".repeat(8 * 1024);

    private static KafkaConsumer<byte[], byte[]> offsets;
    private static List<TopicPartition> requestPartitions;

    @Autowired
    private KafkaTemplate<String, String> gatewayProducer;

    /** One bad request and the answer it must get. */
    record Bad(String method, String path, String token, String contentType, String body, boolean chunked,
               int status, String code) {

        @Override
        public String toString() {
            String shown = body == null ? "" : " " + (body.length() > 80 ? body.substring(0, 80) + "…" : body);
            return method + " " + path + shown + (chunked ? " (chunked)" : "") + " → " + status + " " + code;
        }
    }

    static Stream<Bad> badRequests() {
        return Stream.of(
                // session, as a query parameter
                get("/api/game/authToken", 400, "invalid_session"),
                get("/api/game/authToken?session=", 400, "invalid_session"),
                get("/api/game/authToken?session=foo-bar", 400, "invalid_session"),
                get("/api/game/authToken?session=" + "a".repeat(65), 400, "invalid_session"),
                get("/api/game/authToken?session=f%C3%B6o", 400, "invalid_session"),
                get("/api/game/authToken?session=foobar&queue=gold", 400, "unknown_queue"),
                get("/api/game/authToken?session=foobar&queue=", 400, "unknown_queue"),
                // session, in bodies
                post("/api/game/start", "{}", 400, "invalid_session"),
                post("/api/game/start", "{\"session\":123}", 400, "invalid_session"),
                post("/api/game/start", "{\"session\":\"foobar\",\"queue\":\"gold\"}", 400, "unknown_queue"),
                post("/api/game/renew", "{\"session\":\"foo bar\",\"lastDeadline\":0}", 400, "invalid_session"),
                post("/api/game/stop", "{\"session\":\"\"}", 400, "invalid_session"),
                post("/api/game/stop", "{\"session\":[\"foobar\"]}", 400, "invalid_session"),
                // lastDeadline
                post("/api/game/renew", "{\"session\":\"foobar\"}", 400, "invalid_last_deadline"),
                renew("null", "invalid_last_deadline"),
                renew("10.5", "invalid_last_deadline"),
                renew("10.0", "invalid_last_deadline"),
                renew("1e3", "invalid_last_deadline"),
                renew("\"10\"", "invalid_last_deadline"),
                renew("true", "invalid_last_deadline"),
                renew("-1", "invalid_last_deadline"),
                renew("1000000001", "invalid_last_deadline"),
                renew("99999999999999999999", "invalid_last_deadline"),
                // the body as a whole
                post("/api/game/renew", "{\"session\":\"foobar\",", 400, "malformed_json"),
                post("/api/game/renew", "[]", 400, "malformed_json"),
                post("/api/game/renew", "", 400, "malformed_json"),
                post("/api/game/renew", "{\"session\":\"a\",\"session\":\"b\",\"lastDeadline\":0}", 400,
                        "malformed_json"),
                post("/api/game/renew", "{\"session\":\"foobar\",\"lastDeadline\":0} {}", 400, "malformed_json"),
                post("/api/game/renew", "{\"session\":\"foobar\",\"lastDeadline\":0,\"pad\":\"" + PAD_OVER_8_KIB
                        + "\"}", 413, "body_too_large"),
                chunked("/api/game/renew", "{\"session\":\"foobar\",\"lastDeadline\":0,\"pad\":\"" + PAD_OVER_8_KIB
                        + "\"}", 413, "body_too_large"),
                new Bad("POST", "/api/game/renew", USER, "text/plain", "{\"session\":\"foobar\",\"lastDeadline\":0}",
                        false, 415, "unsupported_media_type"),
                // amounts
                deposit("{\"amount\":10.5,\"reference\":\"pay-1\"}", "invalid_amount"),
                deposit("{\"amount\":\"1000\",\"reference\":\"pay-1\"}", "invalid_amount"),
                deposit("{\"amount\":1000000000001,\"reference\":\"pay-1\"}", "invalid_amount"),
                deposit("{\"amount\":0,\"reference\":\"pay-1\"}", "invalid_amount"),
                deposit("{\"amount\":-5,\"reference\":\"pay-1\"}", "invalid_amount"),
                deposit("{\"reference\":\"pay-1\"}", "invalid_amount"),
                adjust("{\"amount\":0,\"reference\":\"fix-1\",\"reason\":\"r\"}", "invalid_amount"),
                adjust("{\"amount\":-1000000000001,\"reference\":\"fix-1\",\"reason\":\"r\"}", "invalid_amount"),
                // references and reasons
                deposit("{\"amount\":1000,\"reference\":\"pay 42\"}", "invalid_reference"),
                deposit("{\"amount\":1000,\"reference\":\"" + "r".repeat(65) + "\"}", "invalid_reference"),
                deposit("{\"amount\":1000}", "invalid_reference"),
                refund("{\"amount\":5,\"reference\":\"refund-1\",\"reason\":\"\"}", "invalid_reason"),
                refund("{\"amount\":5,\"reference\":\"refund-1\"}", "invalid_reason"),
                // whitespace of any script is blank, as the ledger counts it (U+3000 ideographic, U+2003 em space)
                refund("{\"amount\":5,\"reference\":\"refund-1\",\"reason\":\"\u3000\u3000\"}", "invalid_reason"),
                adjust("{\"amount\":5,\"reference\":\"fix-1\",\"reason\":\" \u2003\"}", "invalid_reason"),
                refund("{\"amount\":5,\"reference\":\"refund-1\",\"reason\":\"" + "r".repeat(201) + "\"}",
                        "invalid_reason"),
                // control characters and unpaired surrogates (JSON escapes: the parsed text holds them)
                refund("{\"amount\":5,\"reference\":\"refund-1\",\"reason\":\"x\\u0000y\"}", "invalid_reason"),
                refund("{\"amount\":5,\"reference\":\"refund-1\",\"reason\":\"ok\\nINFO forged\"}", "invalid_reason"),
                adjust("{\"amount\":5,\"reference\":\"fix-1\",\"reason\":\"c1\\u0085\"}", "invalid_reason"),
                adjust("{\"amount\":5,\"reference\":\"fix-1\",\"reason\":\"lone \\ud800\"}", "invalid_reason"),
                deposit("{\"amount\":1000,\"reference\":\"pay\\u00001\"}", "invalid_reference"),
                post("/api/game/renew", "{\"session\":\"foo\\u0000bar\",\"lastDeadline\":0}", 400, "invalid_session"),
                // nobody moves money on their own account, whatever their roles
                new Bad("POST", "/api/admin/accounts/root/deposits", ADMIN, "application/json",
                        "{\"amount\":1000,\"reference\":\"pay-1\"}", false, 403, "own_account"),
                new Bad("POST", "/api/admin/accounts/root/adjustments", ADMIN, "application/json",
                        "{\"amount\":1000,\"reference\":\"fix-1\",\"reason\":\"bonus\"}", false, 403, "own_account"),
                // the target user
                adminPost("/api/admin/accounts/%20/deposits", "{\"amount\":1000,\"reference\":\"pay-1\"}",
                        "invalid_user_id"),
                // the price list's stream is no account: the ledger refused it after it had been sent
                adminPost("/api/admin/accounts/price-list/deposits", "{\"amount\":1000,\"reference\":\"pay-1\"}",
                        "invalid_user_id"),
                adminPost("/api/admin/accounts/" + "u".repeat(65) + "/deposits",
                        "{\"amount\":1000,\"reference\":\"pay-1\"}", "invalid_user_id"),
                // 33 characters, 66 bytes: token-spec §1 counts bytes
                adminPost("/api/admin/accounts/" + "%C3%A4".repeat(33) + "/deposits",
                        "{\"amount\":1000,\"reference\":\"pay-1\"}", "invalid_user_id"),
                // an operator's session stop (a 500 before: @Validated threw ConstraintViolationException)
                adminPost("/api/admin/accounts/%20%20/sessions/foobar/stop", "", "invalid_user_id"),
                adminPost("/api/admin/accounts/bob/sessions/foo-bar/stop", "", "invalid_session"),
                // prices
                price("standard", "{\"pricePerMinute\":-1}", 400, "invalid_price_per_minute"),
                price("standard", "{\"pricePerMinute\":1.5}", 400, "invalid_price_per_minute"),
                price("standard", "{\"pricePerMinute\":\"60\"}", 400, "invalid_price_per_minute"),
                // above the ledger's limit: the ledger's invalid_request before, after a round trip
                price("standard", "{\"pricePerMinute\":1000000001}", 400, "invalid_price_per_minute"),
                price("gold", "{\"pricePerMinute\":60}", 400, "unknown_queue"));
    }

    @BeforeAll
    static void openOffsetReader() {
        offsets = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        requestPartitions = offsets.partitionsFor(LedgerTopics.REQUESTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    @AfterAll
    static void closeOffsetReader() {
        offsets.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithoutReachingTheLedger(Bad bad) {
        Map<TopicPartition, Long> before = offsets.endOffsets(requestPartitions);

        HttpResult result = http.send(request(bad));

        assertThat(result.status()).as(result.toString()).isEqualTo(bad.status());
        assertThat(result.errorCode()).isEqualTo(bad.code());
        gatewayProducer.flush();
        assertThat(offsets.endOffsets(requestPartitions)).as("requests topic end offsets").isEqualTo(before);
        assertThat(ledger.drain()).isEmpty();
    }

    private HttpRequest.Builder request(Bad bad) {
        HttpRequest.Builder builder = http.request(bad.path(), bad.token());
        if (bad.body() == null) {
            return builder.GET();
        }
        byte[] body = bad.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher publisher = bad.chunked()
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return builder.header("Content-Type", bad.contentType()).method(bad.method(), publisher);
    }

    private static Bad get(String path, int status, String code) {
        return new Bad("GET", path, USER, null, null, false, status, code);
    }

    private static Bad post(String path, String body, int status, String code) {
        return new Bad("POST", path, USER, "application/json", body, false, status, code);
    }

    private static Bad chunked(String path, String body, int status, String code) {
        return new Bad("POST", path, USER, "application/json", body, true, status, code);
    }

    private static Bad renew(String lastDeadline, String code) {
        return post("/api/game/renew", "{\"session\":\"foobar\",\"lastDeadline\":" + lastDeadline + "}", 400, code);
    }

    private static Bad adminPost(String path, String body, String code) {
        return new Bad("POST", path, ADMIN, "application/json", body, false, 400, code);
    }

    private static Bad deposit(String body, String code) {
        return adminPost("/api/admin/accounts/bob/deposits", body, code);
    }

    private static Bad refund(String body, String code) {
        return adminPost("/api/admin/accounts/bob/refunds", body, code);
    }

    private static Bad adjust(String body, String code) {
        return adminPost("/api/admin/accounts/bob/adjustments", body, code);
    }

    private static Bad price(String queue, String body, int status, String code) {
        return new Bad("PUT", "/api/admin/prices/" + queue, ADMIN, "application/json", body, false, status, code);
    }
}
