package io.playbill.gateway.cloud;

import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start parameters as GS's CreateSession accepts them (bitrates in Mbps, the Fps set, 1080p / 720p / WxH), on
 * both start endpoints: a value GS would refuse is refused here first, and nothing reaches GS.
 */
class CloudParametersTest extends CloudGatewayTest {

    /** A user per case, so that the cases never meet the per-user rate limit. */
    private static final AtomicInteger USERS = new AtomicInteger();

    static Stream<Arguments> badStarts() {
        return Stream.of(
                Arguments.of("\"maxBitrate\":8000", "invalid_max_bitrate"),
                Arguments.of("\"maxBitrate\":101", "invalid_max_bitrate"),
                Arguments.of("\"maxBitrate\":0", "invalid_max_bitrate"),
                Arguments.of("\"minBitrate\":2000", "invalid_min_bitrate"),
                Arguments.of("\"minBitrate\":20,\"maxBitrate\":10", "invalid_min_bitrate"),
                Arguments.of("\"maxBitrate\":4.5", "invalid_max_bitrate"),
                Arguments.of("\"fps\":61", "invalid_fps"),
                Arguments.of("\"fps\":240", "invalid_fps"),
                Arguments.of("\"fps\":0", "invalid_fps"),
                Arguments.of("\"resolution\":\"1440p\"", "invalid_resolution"),
                Arguments.of("\"resolution\":\"0x0\"", "invalid_resolution"),
                Arguments.of("\"resolution\":\"1920X1080\"", "invalid_resolution"),
                Arguments.of("\"gameParas\":\"-level 3\\nINFO forged\"", "invalid_game_paras"),
                Arguments.of("\"gameParas\":\"-level\\u00003\"", "invalid_game_paras"),
                Arguments.of("\"gameParas\":\"x\\u0085\"", "invalid_game_paras"),
                Arguments.of("\"imageUrl\":\"https://cdn.example/\\u0000.png\"", "invalid_image_url"),
                Arguments.of("\"imageUrl\":\"https://cdn.example/\\u007f.png\"", "invalid_image_url"),
                Arguments.of("\"groupId\":\"grp\\u0000\"", "invalid_group_id"),
                Arguments.of("\"gameRegion\":\"ap-guangzhou\\n\"", "invalid_game_region"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badStarts")
    void aParameterGsWouldRefuseIsRefusedFirst(String field, String code) {
        HttpResult refused = http.post("/api/cloud/start", nextUser(),
                "{\"clientSession\":\"cs\",\"gameId\":\"g1\"," + field + "}");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo(code);
        assertThat(TestGs.emulator().journal()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badStarts")
    void theDemoStartHasTheSameRules(String field, String code) {
        String pascal = Character.toUpperCase(field.charAt(1)) + field.substring(2);
        pascal = pascal.replace(",\"minBitrate\"", ",\"MinBitrate\"").replace(",\"maxBitrate\"", ",\"MaxBitrate\"");

        HttpResult refused = http.post("/StartCloudGame", nextUser(),
                "{\"ClientSession\":\"cs\",\"GameId\":\"g1\",\"" + pascal + "}");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo(code);
        assertThat(TestGs.emulator().journal()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{x}", "cs cs", "cs\\ncs", "cs==x", "\"", "<script>", "cs%3D"})
    void aClientSessionIsBase64AndNothingElse(String clientSession) {
        HttpResult refused = http.post("/api/cloud/start", nextUser(),
                "{\"clientSession\":\"" + clientSession.replace("\"", "\\\"") + "\",\"gameId\":\"g1\"}");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("invalid_client_session");
        assertThat(TestGs.emulator().journal()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"fps\":30", "\"fps\":45", "\"fps\":60", "\"fps\":90", "\"fps\":120", "\"fps\":144",
            "\"resolution\":\"1080p\"", "\"resolution\":\"720p\"", "\"resolution\":\"2560x1440\"",
            "\"maxBitrate\":1", "\"minBitrate\":1,\"maxBitrate\":1", "\"minBitrate\":8,\"maxBitrate\":100",
            "\"clientSession\":\"eyJ4IjoxfQ==\"", "\"clientSession\":\"a-b_c\""})
    void everyValueGsAcceptsStartsTheGame(String field) {
        String user = "ok-" + USERS.incrementAndGet();
        String clientSession = field.startsWith("\"clientSession\"") ? "" : "\"clientSession\":\"cs\",";

        HttpResult started = http.post("/api/cloud/start", UserTokens.of(user),
                "{" + clientSession + "\"gameId\":\"game-" + user + "\"," + field + "}");

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(TestGs.codes("CreateSession", user)).containsExactly("OK");
    }

    private static String nextUser() {
        return UserTokens.of("p" + USERS.incrementAndGet());
    }
}
