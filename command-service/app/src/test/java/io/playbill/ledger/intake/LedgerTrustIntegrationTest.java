package io.playbill.ledger.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.ledger.TestActors;
import io.playbill.ledger.axon.PriceList;
import io.playbill.ledger.api.events.Actor;
import io.playbill.infra.kafka.PlaybillTopics;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.DefaultRecord;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger trusts no producer: whatever reaches the request topic is checked again, and a refusal stores nothing.
 * Real broker, real PostgreSQL, requests written as any Kafka client could write them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class LedgerTrustIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcTemplate jdbc;
    @Value("${spring.kafka.consumer.group-id}")
    String group;

    private final String alice = "alice-" + UUID.randomUUID();
    private final String bob = "bob-" + UUID.randomUUID();
    private final String queue = "queue-" + UUID.randomUUID();
    private final long now = System.currentTimeMillis();

    @Test
    void aSessionIdBelongsToOneUserForGood() {
        fundedAndPriced(alice);
        fundedAndPriced(bob);
        String session = "s" + UUID.randomUUID().toString().replace("-", "");

        LedgerReply mine = ledger.request(alice, now, new LedgerOperation.AuthorizeSession(session, queue));
        LedgerReply hijack = ledger.request(bob, now + 1, new LedgerOperation.AuthorizeSession(session, queue));
        LedgerReply startByOther = ledger.request(bob, now + 2, new LedgerOperation.StartSession(session, null));

        assertThat(mine.accepted()).isTrue();
        assertThat(mine.queue()).isEqualTo(queue);
        assertThat(hijack.errorCode()).isEqualTo(LedgerError.SESSION_OF_ANOTHER_USER);
        assertThat(startByOther.errorCode()).isEqualTo(LedgerError.SESSION_NOT_FOUND);
        assertThat(eventTypes(bob)).noneMatch(type -> type.startsWith("io.playbill.ledger.api.events.Session"));
    }

    @Test
    void theStartAnswersTheAuthorizedQueueAndRefusesAnother() {
        fundedAndPriced(alice);
        String session = "s" + UUID.randomUUID().toString().replace("-", "");
        ledger.request(alice, now, new LedgerOperation.AuthorizeSession(session, queue));

        LedgerReply otherQueue = ledger.request(alice, now + 1, new LedgerOperation.StartSession(session, "premium"));
        LedgerReply started = ledger.request(alice, now + 2, new LedgerOperation.StartSession(session, null));

        assertThat(otherQueue.errorCode()).isEqualTo(LedgerError.QUEUE_MISMATCH);
        assertThat(started.accepted()).isTrue();
        assertThat(started.queue()).isEqualTo(queue);
    }

    @Test
    void oneReferenceNamesOneMovementAcrossAccounts() {
        String reference = "psp-" + UUID.randomUUID();

        LedgerReply toAlice = ledger.request(alice, now, new LedgerOperation.Deposit(1000, reference));
        LedgerReply toBob = ledger.request(bob, now + 1, new LedgerOperation.Deposit(1000, reference));
        LedgerReply retry = ledger.request(alice, now + 2, new LedgerOperation.Deposit(1000, reference));

        assertThat(toAlice.balance()).isEqualTo(1000);
        assertThat(toBob.errorCode()).isEqualTo(LedgerError.REFERENCE_CONFLICT);
        assertThat(toBob.message()).contains("another account").doesNotContain(alice);
        assertThat(retry.balance()).as("the retry is recognised and answered the same").isEqualTo(1000);
        assertThat(eventTypes(bob)).isEmpty();
    }

    @Test
    void moneyEventsNameWhoMovedTheMoneyAndNobodyCreditsThemself() throws Exception {
        Actor fiona = new Actor("fiona-" + UUID.randomUUID(), List.of("finance"));

        LedgerReply deposit = ledger.request(alice, new LedgerRequest(UUID.randomUUID().toString(), alice, now,
                new LedgerOperation.Deposit(500, "pay-" + UUID.randomUUID()), fiona));
        LedgerReply selfCredit = ledger.request(fiona.userId(), new LedgerRequest(UUID.randomUUID().toString(),
                fiona.userId(), now, new LedgerOperation.Deposit(500, "pay-" + UUID.randomUUID()), fiona));
        LedgerReply anonymous = ledger.request(alice, new LedgerRequest(UUID.randomUUID().toString(), alice, now,
                new LedgerOperation.Deposit(500, "pay-" + UUID.randomUUID()), null));

        assertThat(deposit.balance()).isEqualTo(500);
        JsonNode stored = storedPayload(alice, "io.playbill.ledger.api.events.FundsDeposited");
        assertThat(stored.at("/actor/userId").asText()).isEqualTo(fiona.userId());
        assertThat(stored.at("/actor/roles/0").asText()).isEqualTo("finance");
        assertThat(selfCredit.errorCode()).isEqualTo(LedgerError.OWN_ACCOUNT);
        assertThat(anonymous.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        assertThat(eventTypes(fiona.userId())).isEmpty();
    }

    @Test
    void hostileTextIsRefusedAndNeverStored() {
        ledger.request(alice, now, new LedgerOperation.Deposit(1000, "pay-" + UUID.randomUUID()));
        long eventsBefore = eventTypes(alice).size();
        String nulSubject = "mallory\u0000" + UUID.randomUUID();

        LedgerReply nulReason = ledger.request(alice, now + 1,
                new LedgerOperation.Refund(10, "refund-" + UUID.randomUUID(), "x\u0000y"));
        LedgerReply forgedLine = ledger.request(alice, now + 2,
                new LedgerOperation.Adjust(10, "adj-" + UUID.randomUUID(), "ok\nINFO forged audit line"));
        LedgerReply nulUser = ledger.request(nulSubject, now + 3,
                new LedgerOperation.Deposit(10, "pay-" + UUID.randomUUID()));
        LedgerReply loneSurrogate = ledger.request(alice, now + 4,
                new LedgerOperation.AuthorizeSession("s" + UUID.randomUUID().toString().replace("-", ""), "q\ud800"));

        assertThat(List.of(nulReason, forgedLine, nulUser, loneSurrogate))
                .allSatisfy(reply -> assertThat(reply.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST));
        assertThat(eventTypes(alice)).hasSize((int) eventsBefore);
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier like ?",
                Integer.class, "mallory%")).as("no account for a user id PostgreSQL could not even be asked about")
                .isZero();
    }

    @Test
    void aRequestWhoseReplyOrParkedRowCouldNotBeWrittenIsRefusedAndNeverStopsTheIntake() throws Exception {
        fundedAndPriced(alice);
        String session = "s" + UUID.randomUUID().toString().replace("-", "");
        ledger.request(alice, now, new LedgerOperation.AuthorizeSession(session, queue));
        LedgerRequest overflow = new LedgerRequest(UUID.randomUUID().toString(), alice, now + 1,
                new LedgerOperation.Adjust(Long.MIN_VALUE, "adj-" + UUID.randomUUID(), "overflow"), TestActors.ADMIN);
        // Before: the adjustment failed the decision (no negation), and parking it failed on the request id too long
        // for its column, or the refusal echoing the queue (6 characters a control character) was too large for a
        // record: either way the batch was retried for ever, and nobody's request was decided.
        byte[] longRequestId = json.writeValueAsString(overflow).replace(overflow.requestId(), "r".repeat(300))
                .getBytes(StandardCharsets.UTF_8);

        LedgerReply tooLongAnId = ledger.request(alice, longRequestId, UUID.randomUUID().toString());
        LedgerReply leastLong = ledger.request(alice, overflow);
        LedgerReply hugeQueue = ledger.request(alice, now + 2,
                new LedgerOperation.StartSession(session, "\u0001".repeat(170_000)));

        assertThat(tooLongAnId.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        assertThat(leastLong.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        assertThat(hugeQueue.errorCode()).isEqualTo(LedgerError.QUEUE_MISMATCH);
        assertThat(hugeQueue.message()).hasSizeLessThanOrEqualTo(LedgerReply.MAX_MESSAGE_LENGTH + 1);
        assertThat(ledger.request(bob, now, new LedgerOperation.Deposit(5, "pay-" + UUID.randomUUID())).accepted())
                .as("the intake goes on").isTrue();
        assertThat(jdbc.queryForObject("select count(*) from parked_request where record_key = ?", Integer.class,
                alice)).as("refused, not parked").isZero();
    }

    @Test
    void aRequestWhoseValueIsTheJsonNullIsRefusedAsUnreadableNotParked() throws Exception {
        // Jackson reads the literal null as no request at all, without failing: it was decided into a failure three
        // times, parked, and never answered.
        LedgerReply reply = ledger.request(alice, "null".getBytes(StandardCharsets.UTF_8),
                UUID.randomUUID().toString());

        assertThat(reply.accepted()).isFalse();
        assertThat(reply.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        assertThat(jdbc.queryForObject("select count(*) from parked_request where record_key = ?", Integer.class,
                alice)).as("refused, not parked").isZero();
    }

    @Test
    void aRequestWhoseKeyOrCorrelationIdNoReplyCouldCarryIsDroppedUndecidedAndTheIntakeGoesOn() throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PlaybillTestInfrastructure.shared().kafkaBootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024), new StringSerializer(),
                new ByteArraySerializer());
             var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     PlaybillTestInfrastructure.shared().kafkaBootstrapServers()))) {
            int partitions = producer.partitionsFor(LedgerTopics.REQUESTS).size();
            int partition = Utils.toPositive(Utils.murmur2(bob.getBytes(StandardCharsets.UTF_8))) % partitions;
            // As large as the broker takes (1,048,588 bytes a batch), nearly all key or correlation id: the reply
            // echoing them, a refusal's JSON longer than the request's value, is over the producer's 1,048,576.
            byte[] unreadable = "x".getBytes(StandardCharsets.UTF_8);
            byte[] deposit = json.writeValueAsBytes(new LedgerRequest(UUID.randomUUID().toString(), bob, now,
                    new LedgerOperation.Deposit(7, "pay-" + UUID.randomUUID()), TestActors.ADMIN));
            long hugeKey = producer.send(largest(partition, null, unreadable, "c".repeat(36))).get().offset();
            long hugeCorrelation = producer.send(largest(partition, bob, deposit, null)).get().offset();

            // Before: the reply was too large to send, the batch failed for ever, and bob was never answered.
            LedgerReply after = ledger.request(bob, now + 1,
                    new LedgerOperation.Deposit(5, "pay-" + UUID.randomUUID()));

            assertThat(after.accepted()).as("the intake goes on").isTrue();
            assertThat(after.balance()).as("the request with an echo too large was not decided").isEqualTo(5);
            TopicPartition requests = new TopicPartition(LedgerTopics.REQUESTS, partition);
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long committed = -1;
            while (committed <= Math.max(hugeKey, hugeCorrelation) && System.nanoTime() < until) {
                OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get().get(requests);
                committed = offset == null ? -1 : offset.offset();
                Thread.sleep(100);
            }
            assertThat(committed).as("the committed offset moves past them").isGreaterThan(hugeCorrelation);
            assertThat(jdbc.queryForObject("select count(*) from parked_request where topic_partition = ?"
                    + " and topic_offset in (?, ?)", Integer.class, partition, hugeKey, hugeCorrelation))
                    .as("dropped, not parked").isZero();
        }
    }

    /**
     * A request record on {@code partition} filling a batch as large as the broker takes: under {@code key} with a
     * correlation id as long as that needs, or, when {@code key} is null, under a key as long as that needs.
     */
    private ProducerRecord<String, byte[]> largest(int partition, String key, byte[] value, String correlation) {
        int limit = 1_048_588 - 16; // the broker's default max.message.bytes, less a margin
        for (int size = limit; ; size--) {
            String k = key != null ? key : "k".repeat(size);
            byte[] c = (correlation != null ? correlation : "c".repeat(size)).getBytes(StandardCharsets.UTF_8);
            var record = new ProducerRecord<>(LedgerTopics.REQUESTS, partition, k, value);
            record.headers().add(LedgerHeaders.REPLY_TOPIC, LedgerTopics.REPLIES.getBytes(StandardCharsets.UTF_8));
            record.headers().add(LedgerHeaders.CORRELATION_ID, c);
            int batch = DefaultRecordBatch.RECORD_BATCH_OVERHEAD + DefaultRecord.sizeInBytes(0, 0,
                    ByteBuffer.wrap(k.getBytes(StandardCharsets.UTF_8)), ByteBuffer.wrap(value),
                    record.headers().toArray());
            if (batch <= limit) {
                return record;
            }
            size -= batch - limit - 1;
        }
    }

    @Test
    void theReplyGoesToThePartitionTheRequesterReadsAndANameTheTopicLacksNeverStopsTheIntake() {
        ledger.request(alice, now, new LedgerOperation.Deposit(1000, "pay-" + UUID.randomUUID()));
        for (int partition : new int[] {0, 5, PlaybillTopics.REPLY_PARTITIONS - 1}) {
            var reply = ledger.requestWithReplyPartition(alice, now, new LedgerOperation.Deposit(1,
                    "pay-" + UUID.randomUUID()), LedgerHeaders.replyPartition(partition));
            assertThat(reply.partition()).isEqualTo(partition);
        }
        // A partition the topic lacks, a negative one, a header of the wrong size: answered all the same, where Kafka
        // puts the user's records; a send to a missing partition would fail this batch on every redelivery.
        for (byte[] header : List.of(LedgerHeaders.replyPartition(PlaybillTopics.REPLY_PARTITIONS),
                LedgerHeaders.replyPartition(-1), new byte[] {1})) {
            var reply = ledger.requestWithReplyPartition(alice, now, new LedgerOperation.Deposit(1,
                    "pay-" + UUID.randomUUID()), header);
            assertThat(reply.partition()).isBetween(0, PlaybillTopics.REPLY_PARTITIONS - 1);
        }
        assertThat(ledger.request(bob, now, new LedgerOperation.Deposit(5, "pay-" + UUID.randomUUID())).accepted())
                .as("the intake goes on").isTrue();
    }

    @Test
    void aRequestKeyedByAnotherUserIsRefused() {
        LedgerRequest forAlice = new LedgerRequest(UUID.randomUUID().toString(), alice, now,
                new LedgerOperation.Deposit(10, "pay-" + UUID.randomUUID()), TestActors.ADMIN);

        LedgerReply reply = ledger.request(bob, forAlice);

        assertThat(reply.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        assertThat(eventTypes(alice)).isEmpty();
    }

    @Test
    void noUserTakesThePriceListsIdentity() {
        assertThat(ledger.request("ops", now - 1000, new LedgerOperation.SetPrice(queue, 60)).accepted()).isTrue();
        List<String> priceListEvents = eventTypes(PriceList.ID);

        LedgerReply deposit = ledger.request(PriceList.ID, now,
                new LedgerOperation.Deposit(1000, "pay-" + UUID.randomUUID()));
        LedgerReply authorize = ledger.request(PriceList.ID, now + 1,
                new LedgerOperation.AuthorizeSession("s" + UUID.randomUUID().toString().replace("-", ""), queue));

        assertThat(List.of(deposit, authorize))
                .allSatisfy(reply -> assertThat(reply.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST));
        assertThat(deposit.message()).contains("price list");
        assertThat(eventTypes(PriceList.ID)).as("the price list's stream holds prices only")
                .isEqualTo(priceListEvents);
        assertThat(ledger.request("ops", now + 2, new LedgerOperation.SetPrice(queue, 70)).accepted()).isTrue();
    }

    /** Two admins on gateways whose clocks differ, or a change that waited: the admin is told theirs is not in force. */
    @Test
    void aPriceChangeReceivedBeforeTheQueuesLatestIsRefusedAndTheLatestStaysInForce() {
        assertThat(ledger.request("ops", now, new LedgerOperation.SetPrice(queue, 70)).accepted()).isTrue();

        LedgerReply late = ledger.request("ops-2", now - 1000, new LedgerOperation.SetPrice(queue, 50));

        assertThat(late.errorCode()).isEqualTo(LedgerError.PRICE_SUPERSEDED);
        assertThat(late.message()).as("names the change in force").contains("70 per minute");
        assertThat(jdbc.queryForList("select price_per_minute from queue_price where queue = ?", Long.class, queue))
                .as("the price history").containsExactly(70L);
        assertThat(ledger.request("ops", now, new LedgerOperation.SetPrice(queue, 70)).accepted())
                .as("the latest change sent again is a retry").isTrue();
    }

    private void fundedAndPriced(String user) {
        assertThat(ledger.request("ops", now - 3_600_000, new LedgerOperation.SetPrice(queue, 60)).accepted()).isTrue();
        assertThat(ledger.request(user, now - 1000, new LedgerOperation.Deposit(1000, "pay-" + UUID.randomUUID()))
                .accepted()).isTrue();
    }

    private List<String> eventTypes(String aggregate) {
        return jdbc.queryForList("select payload_type from domain_event_entry where aggregate_identifier = ?"
                + " order by sequence_number", String.class, aggregate);
    }

    private JsonNode storedPayload(String aggregate, String type) throws Exception {
        byte[] payload = jdbc.queryForObject("select payload from domain_event_entry where aggregate_identifier = ?"
                + " and payload_type = ? order by sequence_number desc limit 1", byte[].class, aggregate, type);
        return json.readTree(new String(payload, StandardCharsets.UTF_8));
    }
}
