package io.playbill.ledger.parked;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.support.LedgerIntegrationTest;
import io.playbill.ledger.support.LedgerTestInfrastructure;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.utils.Utils;
import org.axonframework.eventhandling.Segment;
import org.axonframework.extensions.kafka.eventhandling.producer.ConfirmationMode;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static io.playbill.ledger.support.LedgerTestInfrastructure.lastExpiryScanAtMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ledger's consumers park what fails on its own and go on with everything else; a failure every item would meet
 * (the database connection dying, the broker not answering) parks nothing and is retried until it is over. The
 * health says DEGRADED (HTTP 200) and the gauges count what is parked; an operator's retry after the fix processes it
 * (a skip drops it), over the request topic as the gateway sends it.
 *
 * <p>Faults come from the real database (triggers that refuse one user's events, or kill the connection writing
 * them) and, for the publisher, from the broker boundary: a producer that answers for chosen users as a broker
 * refusing their records would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"playbill.ledger.expiry-attempts=3", "playbill.ledger.expiry-scan-interval=200ms",
                "playbill.ledger.all-failed-patience=2s"})
class ParkedLedgerItemsIntegrationTest extends LedgerIntegrationTest {

    /**
     * Users whose records the "broker" refuses for good (at once, or only after they were sent), and users for whom
     * it does not answer.
     */
    static final Set<String> REFUSED = ConcurrentHashMap.newKeySet();
    static final Set<String> REFUSED_AFTER_SENDING = ConcurrentHashMap.newKeySet();
    static final Set<String> UNANSWERED = ConcurrentHashMap.newKeySet();
    /** How many records of each {@link #UNANSWERED} user the publisher sent and the "broker" left unanswered. */
    static final Map<String, AtomicInteger> UNANSWERED_SENDS = new ConcurrentHashMap<>();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ObjectMapper json;
    @LocalServerPort
    int port;

    @Test
    void aRequestThatFailsOnItsOwnIsParkedWhileTheRestIsDecidedUntilAnOperatorRetriesIt() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "poisoned-" + id;
        String other = "other-" + id;
        refuseEventsMentioning("poison-" + id);
        try {
            ledger.send(user, now(), new LedgerOperation.Deposit(100, "poison-" + id));
            assertThat(waitFor(Duration.ofSeconds(30), () -> parkedRequests(user) == 1)).isTrue();
            assertThat(ledger.request(other, now(), new LedgerOperation.Deposit(70, "d-" + id)).balance())
                    .as("others are decided").isEqualTo(70);
            assertThat(ledger.request(user, now(), new LedgerOperation.Deposit(50, "later-" + id)).balance())
                    .as("the user's later requests are decided as usual (decision 020)").isEqualTo(50);

            Map<String, Object> row = jdbc.queryForMap("select * from parked_request where record_key = ?", user);
            assertThat(row.get("attempts")).isEqualTo(3);
            assertThat((String) row.get("error")).contains("poison refused");
            assertThat(new String((byte[]) row.get("payload"))).contains("poison-" + id);
            // The intake commits its offsets every 500 ms (decision 048), so the commit may follow the reply.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    committedOffset((Integer) row.get("topic_partition")))
                    .as("the parked request counts as decided for the expiry scanner's intake progress")
                    .isGreaterThan((Long) row.get("topic_offset")));
            assertThat(health()).isEqualTo("DEGRADED");
            assertThat(gauge("intake")).isEqualTo(1);

            long parkedId = (Long) row.get("id");
            LedgerReply again = resolve("intake", String.valueOf(parkedId), "retry");
            assertThat(again.errorCode()).as("the cause is still there").isEqualTo(LedgerError.STILL_FAILING);
            assertThat(jdbc.queryForObject("select attempts from parked_request where id = ?", Integer.class,
                    parkedId)).isEqualTo(4);
        } finally {
            dropRefusal();
        }
        long parkedId = jdbc.queryForObject("select id from parked_request where record_key = ?", Long.class, user);
        LedgerReply retried = resolve("intake", String.valueOf(parkedId), "retry");
        assertThat(retried.accepted()).isTrue();
        assertThat(retried.message()).isEqualTo("Decided: accepted");
        assertThat(ledger.request(user, now(), new LedgerOperation.Deposit(1, "last-" + id)).balance())
                .as("the parked deposit is applied once").isEqualTo(151);
        assertThat(resolve("intake", String.valueOf(parkedId), "retry").errorCode())
                .isEqualTo(LedgerError.PARKED_ITEM_NOT_FOUND);
        assertThat(jdbc.queryForMap("select status, resolved_by from parked_request where id = ?", parkedId))
                .containsEntry("status", "retried").containsEntry("resolved_by", "ops");
        assertThat(health()).isEqualTo("UP");
        assertThat(gauge("intake")).isZero();
    }

    /**
     * An operator's retry or skip is carried out before its reply is acknowledged and its offset committed: delivered
     * again (a reply that could not be sent, a crash before the commit), the very same request found its item no
     * longer parked and answered not-found for what it had done itself.
     */
    @Test
    void anOperatorRequestDeliveredAgainGetsItsFirstAnswerForEveryKindOfItem() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);

        String user = "redelivered-" + id;
        long parkedId = parkedDeposit(user, "poison-" + id);
        LedgerRequest retry = operatorRequest("intake", String.valueOf(parkedId), "retry");
        LedgerReply first = ledger.request("ops", retry);
        assertThat(first.accepted()).isTrue();
        Object resolvedAt = jdbc.queryForObject("select resolved_at from parked_request where id = ?", Object.class,
                parkedId);
        assertThat(ledger.request("ops", retry)).as("the same request again").isEqualTo(first);
        assertThat(jdbc.queryForObject("select resolved_at from parked_request where id = ?", Object.class, parkedId))
                .as("resolved once").isEqualTo(resolvedAt);
        assertThat(ledger.request(user, now(), new LedgerOperation.Deposit(1, "last-" + id)).balance())
                .as("the parked deposit is applied once").isEqualTo(101);
        assertThat(resolve("intake", String.valueOf(parkedId), "retry").errorCode())
                .as("another request for it").isEqualTo(LedgerError.PARKED_ITEM_NOT_FOUND);

        String queue = "queue-" + id;
        String stuck = "redelivered-expiry-" + id;
        String session = "s" + UUID.randomUUID().toString().replace("-", "");
        assertThat(ledger.request("ops", now() - 3_600_000, new LedgerOperation.SetPrice(queue, 60)).accepted())
                .isTrue();
        jdbc.execute("create function refuse_end_" + id + "() returns trigger language plpgsql as $$ begin"
                + " if new.aggregate_identifier = '" + stuck + "' and new.payload_type like '%SessionEnded' then"
                + " raise check_violation using message = 'poison refused'; end if; return new; end $$");
        jdbc.execute("create trigger refuse_end_" + id + " before insert on domain_event_entry for each row"
                + " execute function refuse_end_" + id + "()");
        try {
            assertThat(ledger.request(stuck, now() - 800_000, new LedgerOperation.Deposit(1000, "d-" + id))
                    .accepted()).isTrue();
            assertThat(ledger.request(stuck, now() - 700_000, new LedgerOperation.AuthorizeSession(session, queue))
                    .accepted()).isTrue();
            assertThat(waitFor(Duration.ofSeconds(30), () -> jdbc.queryForObject("select count(*) from session_expiry"
                    + " where user_id = ? and parked_at_millis is not null", Integer.class, stuck) == 1)).isTrue();
        } finally {
            jdbc.execute("drop trigger if exists refuse_end_" + id + " on domain_event_entry");
            jdbc.execute("drop function if exists refuse_end_" + id + "()");
        }
        LedgerRequest skipExpiry = operatorRequest("expiry", stuck + "/" + session, "skip");
        LedgerReply skipped = ledger.request("ops", skipExpiry);
        assertThat(skipped.accepted()).isTrue();
        assertThat(ledger.request("ops", skipExpiry)).as("the same request again").isEqualTo(skipped);
        assertThat(expiryRows(stuck)).isZero();
        assertThat(resolve("expiry", stuck + "/" + session, "skip").errorCode())
                .as("another request for it").isEqualTo(LedgerError.PARKED_ITEM_NOT_FOUND);

        String publisherUser = "redelivered-event-" + id;
        REFUSED.add(publisherUser);
        try {
            assertThat(ledger.request(publisherUser, now(), new LedgerOperation.Deposit(10, "d1-" + id)).accepted())
                    .isTrue();
            assertThat(waitFor(Duration.ofSeconds(30), () -> deadLetters(publisherUser) == 2)).isTrue();
        } finally {
            REFUSED.remove(publisherUser);
        }
        String event = jdbc.queryForObject("select event_identifier from dead_letter_entry where sequence_identifier"
                + " = ? order by sequence_index limit 1", String.class, publisherUser);
        LedgerRequest skipEvent = operatorRequest("publisher", publisherUser + "/" + event, "skip");
        LedgerReply skippedEvent = ledger.request("ops", skipEvent);
        assertThat(skippedEvent.accepted()).as(skippedEvent.toString()).isTrue();
        assertThat(ledger.request("ops", skipEvent)).as("the same request again").isEqualTo(skippedEvent);
        assertThat(published(publisherUser)).as("the event behind the skipped one, published once")
                .containsExactly("FundsDeposited");
        assertThat(resolve("publisher", publisherUser + "/" + event, "skip").errorCode())
                .as("another request for it: a repeated skip answers not-found")
                .isEqualTo(LedgerError.PARKED_ITEM_NOT_FOUND);
    }

    /** A deposit of 100 whose event the store refuses, parked by the intake: its parked request's id. */
    private long parkedDeposit(String user, String reference) throws Exception {
        refuseEventsMentioning(reference);
        try {
            ledger.send(user, now(), new LedgerOperation.Deposit(100, reference));
            assertThat(waitFor(Duration.ofSeconds(30), () -> parkedRequests(user) == 1)).isTrue();
        } finally {
            dropRefusal();
        }
        return jdbc.queryForObject("select id from parked_request where record_key = ?", Long.class, user);
    }

    /** An operator's request, as the gateway sends it: {@code ops}, an admin, under one request id. */
    private static LedgerRequest operatorRequest(String consumer, String item, String action) {
        LedgerOperation operation = new LedgerOperation.ResolveParked(consumer, item, action);
        return new LedgerRequest(UUID.randomUUID().toString(), "ops", now(), operation, TestActors.ADMIN);
    }

    @Test
    void aSkippedRequestIsNeverDecidedAndOnlyAnAdminMaySkip() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "skipped-" + id;
        long parkedId = parkedDeposit(user, "poison-" + id);
        LedgerReply byPlayer = ledger.request(user, new io.playbill.ledger.api.messages.LedgerRequest(
                UUID.randomUUID().toString(), user, now(),
                new LedgerOperation.ResolveParked("intake", String.valueOf(parkedId), "skip"),
                io.playbill.ledger.api.events.Actor.player(user)));
        assertThat(byPlayer.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        assertThat(resolve("nobody", "1", "skip").errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        assertThat(resolve("intake", String.valueOf(parkedId), "drop").errorCode())
                .isEqualTo(LedgerError.INVALID_REQUEST);

        assertThat(resolve("intake", String.valueOf(parkedId), "skip").accepted()).isTrue();
        assertThat(ledger.request(user, now(), new LedgerOperation.Deposit(5, "after-" + id)).balance())
                .as("the skipped deposit was never applied").isEqualTo(5);
        assertThat(jdbc.queryForObject("select status from parked_request where id = ?", String.class, parkedId))
                .isEqualTo("skipped");
    }

    /**
     * An operator request whose user id holds a NUL (the gateway sends none; anyone with write access to the topic
     * could) failed at its first database statement, outside every refusal, and its batch was retried for ever:
     * every user of that partition went unanswered. It is refused now, and the intake goes on.
     */
    @Test
    void anOperatorRequestWhoseUserIdCannotBeStoredIsRefusedAndTheIntakeGoesOn() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String operator = "ops\u0000" + id;
        LedgerReply refused = ledger.request(operator, new io.playbill.ledger.api.messages.LedgerRequest(
                UUID.randomUUID().toString(), operator, now(), new LedgerOperation.ResolveParked("intake", "1", "skip"),
                new io.playbill.ledger.api.events.Actor(operator, List.of("admin"))));

        assertThat(refused.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        assertThat(ledger.request(operator, now(), new LedgerOperation.Deposit(5, "nul-" + id)).accepted())
                .as("a request keyed like it, on its partition, is decided (and refused)").isFalse();
        assertThat(ledger.request("after-nul-" + id, now(), new LedgerOperation.Deposit(5, "after-" + id))
                .balance()).isEqualTo(5);
    }

    @Test
    void theDatabaseGoingAwayParksNothingAndTheRequestIsDecidedOnceItIsBack() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "outage-" + id;
        // Every insert of the user's events loses its connection. A sequence counts the attempts: it is not rolled
        // back with them.
        jdbc.execute("create sequence outage_" + id);
        jdbc.execute("create function outage_" + id + "() returns trigger language plpgsql as $$ begin"
                + " if new.aggregate_identifier = '" + user + "' then perform nextval('outage_" + id + "');"
                + " perform pg_terminate_backend(pg_backend_pid()); end if; return new; end $$");
        jdbc.execute("create trigger outage_" + id + " before insert on domain_event_entry for each row"
                + " execute function outage_" + id + "()");
        try {
            ledger.send(user, now(), new LedgerOperation.Deposit(10, "d-" + id));
            // A request failing on its own is parked after poison-attempts (3) tries, a batch every request of
            // which fails after all-failed-patience (2 s): the intake tries on past both.
            long[] firstAttempt = {0};
            assertThat(waitFor(Duration.ofSeconds(30), () -> {
                long attempts = jdbc.queryForObject("select case when is_called then last_value else 0 end"
                        + " from outage_" + id, Long.class);
                if (attempts > 0 && firstAttempt[0] == 0) {
                    firstAttempt[0] = System.nanoTime();
                }
                return attempts >= 5 && System.nanoTime() - firstAttempt[0] > Duration.ofMillis(2_500).toNanos();
            })).as("the intake tried more than 3 times and for longer than 2 s").isTrue();
            assertThat(events(user)).isZero();
            assertThat(parkedRequests(user)).isZero();
        } finally {
            jdbc.execute("drop trigger if exists outage_" + id + " on domain_event_entry");
            jdbc.execute("drop function if exists outage_" + id + "()");
            jdbc.execute("drop sequence if exists outage_" + id);
        }
        assertThat(waitFor(Duration.ofSeconds(30), () -> events(user) == 2)).isTrue();
        assertThat(parkedRequests(user)).isZero();
    }

    @Test
    void aBatchCutOffHalfwayIsDecidedAgainWholeAndCreditsEveryDepositOnce() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        List<String> users = IntStream.range(0, 6).mapToObj(i -> "batch" + i + "-" + id).toList();
        String cutOff = users.get(3);
        // The first insert of the fourth user's events loses its connection, after the first three users' events
        // were written in the same transaction. A sequence counts the attempts: it is not rolled back with them.
        jdbc.execute("create sequence cut_" + id);
        jdbc.execute("create function cut_" + id + "() returns trigger language plpgsql as $$ begin"
                + " if new.aggregate_identifier = '" + cutOff + "' and nextval('cut_" + id + "') = 1 then"
                + " perform pg_terminate_backend(pg_backend_pid()); end if; return new; end $$");
        jdbc.execute("create trigger cut_" + id + " before insert on domain_event_entry for each row"
                + " execute function cut_" + id + "()");
        try {
            for (int i = 0; i < users.size(); i++) {
                ledger.send(users.get(i), now(), new LedgerOperation.Deposit(10 + i, "d-" + users.get(i)));
            }
            assertThat(waitFor(Duration.ofSeconds(30), () -> users.stream().allMatch(user -> events(user) == 2)))
                    .as("every deposit decided: account opened and funds deposited").isTrue();
        } finally {
            jdbc.execute("drop trigger if exists cut_" + id + " on domain_event_entry");
            jdbc.execute("drop function if exists cut_" + id + "()");
        }
        assertThat(jdbc.queryForObject("select last_value from cut_" + id, Long.class))
                .as("the cut-off insert was tried again").isGreaterThanOrEqualTo(2);
        for (int i = 0; i < users.size(); i++) {
            String user = users.get(i);
            assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?"
                    + " and payload_type like '%FundsDeposited'", Integer.class, user)).as(user).isEqualTo(1);
            LedgerReply again = ledger.request(user, now(), new LedgerOperation.Deposit(10 + i, "d-" + user));
            assertThat(again.balance()).as("the same deposit asked again: credited once").isEqualTo(10L + i);
            assertThat(parkedRequests(user)).isZero();
        }
        jdbc.execute("drop sequence cut_" + id);
    }

    @Test
    void aBatchInWhichEveryUsersRequestFailsIsRetriedWholeOnlyForAWhileThenParked(
            @Autowired KafkaListenerEndpointRegistry listeners) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        int partitions = requestPartitions();
        String first = "twin-a-" + id;
        String second = IntStream.range(0, 10_000).mapToObj(n -> "twin-b" + n + "-" + id)
                .filter(user -> partitionOf(user, partitions) == partitionOf(first, partitions)).findFirst()
                .orElseThrow();
        String later = IntStream.range(0, 10_000).mapToObj(n -> "later" + n + "-" + id)
                .filter(user -> partitionOf(user, partitions) == partitionOf(first, partitions)).findFirst()
                .orElseThrow();
        MessageListenerContainer intake = listeners.getListenerContainers().stream()
                .filter(container -> List.of(container.getContainerProperties().getTopics())
                        .contains(LedgerTopics.REQUESTS))
                .findFirst().orElseThrow();
        refuseEventsMentioning("twin-" + id);
        try {
            // Both requests wait on one partition while the intake is stopped, so its first poll holds them both.
            intake.stop();
            try {
                ledger.send(first, now(), new LedgerOperation.Deposit(10, "twin-" + id + "-1"));
                ledger.send(second, now(), new LedgerOperation.Deposit(20, "twin-" + id + "-2"));
            } finally {
                intake.start();
            }
            assertThat(waitFor(Duration.ofSeconds(30), () -> parkedRequests(first) == 1 && parkedRequests(second) == 1))
                    .as("both parked once the batch had failed whole for playbill.ledger.all-failed-patience")
                    .isTrue();
            assertThat(ledger.request(later, now(), new LedgerOperation.Deposit(5, "later-" + id)).balance())
                    .as("the partition goes on").isEqualTo(5);
        } finally {
            dropRefusal();
        }
        // An operator's skip leaves no parked item to the other tests.
        for (Long parkedId : jdbc.queryForList("select id from parked_request where record_key in (?, ?)"
                + " and status = 'parked'", Long.class, first, second)) {
            assertThat(resolve("intake", String.valueOf(parkedId), "skip").accepted()).isTrue();
        }
    }

    private static int requestPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                PlaybillTestInfrastructure.shared().kafkaBootstrapServers()))) {
            return admin.describeTopics(List.of(LedgerTopics.REQUESTS)).allTopicNames().get()
                    .get(LedgerTopics.REQUESTS).partitions().size();
        }
    }

    /** The partition Kafka's default partitioner gives a keyed record, as the gateway's requests are keyed by user. */
    private static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Test
    void anExpiryThatKeepsFailingIsParkedWhileOtherSessionsExpireUntilAnOperatorRetriesIt() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String queue = "queue-" + id;
        String stuck = "stuck-" + id;
        String other = "expiring-" + id;
        Map<String, String> sessions = Map.of(stuck, "s" + UUID.randomUUID().toString().replace("-", ""),
                other, "s" + UUID.randomUUID().toString().replace("-", ""));
        assertThat(ledger.request("ops", now() - 3_600_000, new LedgerOperation.SetPrice(queue, 60)).accepted())
                .isTrue();
        jdbc.execute("create function refuse_end_" + id + "() returns trigger language plpgsql as $$ begin"
                + " if new.aggregate_identifier = '" + stuck + "' and new.payload_type like '%SessionEnded' then"
                + " raise check_violation using message = 'poison refused'; end if; return new; end $$");
        jdbc.execute("create trigger refuse_end_" + id + " before insert on domain_event_entry for each row"
                + " execute function refuse_end_" + id + "()");
        try {
            for (String user : List.of(stuck, other)) {
                assertThat(ledger.request(user, now() - 800_000, new LedgerOperation.Deposit(1000, "d-" + user))
                        .accepted()).isTrue();
                // Authorized long ago and never started: due now (the authorization timeout is 10 minutes).
                LedgerReply authorized = ledger.request(user, now() - 700_000,
                        new LedgerOperation.AuthorizeSession(sessions.get(user), queue));
                assertThat(authorized.accepted()).as(authorized.toString()).isTrue();
            }
            assertThat(waitFor(Duration.ofSeconds(30), () -> expiryRows(other) == 0)).as("others expire").isTrue();
            assertThat(waitFor(Duration.ofSeconds(30), () -> jdbc.queryForObject("select count(*) from session_expiry"
                    + " where user_id = ? and parked_at_millis is not null", Integer.class, stuck) == 1)).isTrue();
            Map<String, Object> row = jdbc.queryForMap("select * from session_expiry where user_id = ?", stuck);
            assertThat(row.get("attempts")).isEqualTo(3);
            assertThat((String) row.get("last_error")).contains("poison refused");
            assertThat(health()).isEqualTo("DEGRADED");
            assertThat(gauge("expiry")).isEqualTo(1);
            long parkedBy = now();
            assertThat(waitFor(Duration.ofSeconds(30), () -> lastExpiryScanAtMillis(meters) > parkedBy))
                    .as("a scan ran after the expiry was parked").isTrue();
            assertThat(jdbc.queryForObject("select attempts from session_expiry where user_id = ?", Integer.class,
                    stuck)).as("a parked expiry is left out of the scan").isEqualTo(3);
        } finally {
            jdbc.execute("drop trigger if exists refuse_end_" + id + " on domain_event_entry");
            jdbc.execute("drop function if exists refuse_end_" + id + "()");
        }
        assertThat(resolve("expiry", stuck + "/" + sessions.get(stuck), "retry").accepted()).isTrue();
        assertThat(waitFor(Duration.ofSeconds(30), () -> expiryRows(stuck) == 0)).isTrue();
        assertThat(resolve("expiry", stuck + "/" + sessions.get(stuck), "retry").errorCode())
                .isEqualTo(LedgerError.PARKED_ITEM_NOT_FOUND);
        assertThat(health()).isEqualTo("UP");
    }

    @Test
    void anEventTheBrokerRefusesIsParkedWithTheUsersLaterOnesWhileOthersArePublished() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "refused-" + id;
        String other = "published-" + id;
        REFUSED.add(user);
        try {
            depositTwiceAroundAnothersDeposit(user, other, id);
            assertThat(waitFor(Duration.ofSeconds(30), () -> published(other).size() == 2)).isTrue();
            assertAllThreeEventsParkedUnpublished(user, Duration.ofSeconds(30));
            assertThat(health()).isEqualTo("DEGRADED");
            assertThat(gauge("publisher")).isEqualTo(3);
            assertThat(resolve("publisher", user, "retry").errorCode()).isEqualTo(LedgerError.STILL_FAILING);
        } finally {
            REFUSED.remove(user);
        }
        assertThat(resolve("publisher", user, "retry").accepted()).isTrue();
        assertThat(published(user)).containsExactly("AccountOpened", "FundsDeposited", "FundsDeposited");
        assertThat(deadLetters(user)).isZero();
        assertThat(resolve("publisher", user, "retry").errorCode()).isEqualTo(LedgerError.PARKED_ITEM_NOT_FOUND);
        assertThat(health()).isEqualTo("UP");
    }

    /**
     * A skip names the event it drops. It named the user and dropped whichever event was first: a skip carried out
     * twice (its answer lost and the request redelivered, or the operator repeating it) dropped the next event too,
     * which nobody had looked at and which then never reached the topic.
     */
    @Test
    void aSkipDropsOnlyTheEventItNamesHoweverOftenItIsCarriedOut() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "skipped-" + id;
        REFUSED.add(user);
        String first;
        try {
            depositTwiceAroundAnothersDeposit(user, "beside-" + id, id);
            assertAllThreeEventsParkedUnpublished(user, Duration.ofSeconds(30));
            first = jdbc.queryForObject("select event_identifier from dead_letter_entry where sequence_identifier = ?"
                    + " order by sequence_index limit 1", String.class, user);
            assertThat(resolve("publisher", user, "skip").errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
            assertThat(resolve("publisher", user + "/" + first, "skip").errorCode())
                    .as("skipped; the events behind it are still refused").isEqualTo(LedgerError.STILL_FAILING);
            assertThat(deadLetters(user)).isEqualTo(2);
            assertThat(resolve("publisher", user + "/" + first, "skip").errorCode())
                    .isEqualTo(LedgerError.PARKED_ITEM_NOT_FOUND);
            assertThat(deadLetters(user)).as("the repeated skip dropped nothing more").isEqualTo(2);
        } finally {
            REFUSED.remove(user);
        }
        assertThat(resolve("publisher", user, "retry").accepted()).isTrue();
        assertThat(published(user)).containsExactly("FundsDeposited", "FundsDeposited");
    }

    /**
     * Axon's dead-letter queue refuses, by default, a 1,025th parked event of one user (or a 1,025th user): the
     * publisher's batch then failed for good and its whole segment, about half of all users, stopped publishing.
     */
    @Test
    void aUserWithThousandsOfParkedEventsStillParksTheNextOne() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "long-queue-" + id;
        REFUSED.add(user);
        try {
            depositTwiceAroundAnothersDeposit(user, "other-" + id, id);
            assertAllThreeEventsParkedUnpublished(user, Duration.ofSeconds(30));
            // A night of play behind the refused event: 1,100 more parked events of the user.
            jdbc.update("insert into dead_letter_entry select gen_random_uuid()::text, processing_group,"
                    + " sequence_identifier, sequence_index + g, message_type, event_identifier || '-copy-' || g, time_stamp,"
                    + " payload_type, payload_revision, payload, meta_data, type, aggregate_identifier, sequence_number,"
                    + " token_type, token, enqueued_at, last_touched, processing_started, cause_type, cause_message,"
                    + " diagnostics from dead_letter_entry, generate_series(1000, 2099) g where sequence_identifier = ?"
                    + " and sequence_index = (select max(sequence_index) from dead_letter_entry"
                    + " where sequence_identifier = ?)", user, user);
            assertThat(deadLetters(user)).isEqualTo(1103);
            assertThat(ledger.request(user, now(), new LedgerOperation.Deposit(40, "d3-" + id)).accepted()).isTrue();
            assertThat(waitFor(Duration.ofSeconds(30), () -> deadLetters(user) == 1104))
                    .as("the user's next event is parked behind the others, not refused by a full queue").isTrue();
        } finally {
            REFUSED.remove(user);
            jdbc.update("delete from dead_letter_entry where sequence_identifier = ? and event_identifier like '%-copy-%'",
                    user);
        }
        assertThat(resolve("publisher", user, "retry").accepted()).isTrue();
        assertThat(published(user)).containsExactly("AccountOpened", "FundsDeposited", "FundsDeposited",
                "FundsDeposited");
    }

    /**
     * The publisher waits for a batch's acks together (decision 050), so a refusal the producer reports only after the
     * send fails the whole batch. It is published again one event at a time, where the refused event is the one that
     * fails: it is parked as if refused at once, and the others' events, sent again, are on the topic once each.
     */
    @Test
    void anEventTheBrokerRefusesOnlyAfterItWasSentIsParkedWithTheUsersLaterOnes() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "refused-late-" + id;
        String other = "published-late-" + id;
        REFUSED_AFTER_SENDING.add(user);
        try {
            depositTwiceAroundAnothersDeposit(user, other, id);
            assertAllThreeEventsParkedUnpublished(user, Duration.ofSeconds(60));
            assertThat(waitFor(Duration.ofSeconds(30), () -> publishedOnce(other).size() == 2)).isTrue();
            assertThat(publishedOnce(other)).containsExactly("AccountOpened", "FundsDeposited");
        } finally {
            REFUSED_AFTER_SENDING.remove(user);
        }
        assertThat(resolve("publisher", user, "retry").accepted()).isTrue();
        assertThat(published(user)).containsExactly("AccountOpened", "FundsDeposited", "FundsDeposited");
        assertThat(deadLetters(user)).isZero();
        String after = "after-" + id;
        assertThat(ledger.request(after, now(), new LedgerOperation.Deposit(40, "a1-" + id)).accepted()).isTrue();
        assertThat(waitFor(Duration.ofSeconds(30), () -> published(after).size() == 2))
                .as("the publisher goes on").isTrue();
    }

    /**
     * Publishing one event at a time, which finds the refused event, is the failing segment's own mode. It was one
     * flag for the instance, which the other segment's next commit cleared long before the failing segment came round
     * again: while the other segment had traffic, the refused event was never parked and its user's events never
     * published.
     */
    @Test
    void anEventRefusedAfterSendingIsParkedWhileTheOtherSegmentKeepsPublishing() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Segment[] segments = Segment.ROOT_SEGMENT.split();
        String user = inSegment(segments[0], "refused-busy-" + id);
        String busy = inSegment(segments[1], "busy-" + id);
        REFUSED_AFTER_SENDING.add(user);
        AtomicBoolean stop = new AtomicBoolean();
        Thread traffic = new Thread(() -> {
            for (int deposit = 0; !stop.get(); deposit++) {
                ledger.send(busy, now(), new LedgerOperation.Deposit(1, "b" + deposit + "-" + id));
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }, "other-segment-traffic");
        traffic.start();
        try {
            assertThat(waitFor(Duration.ofSeconds(30), () -> published(busy).size() > 1)).isTrue();
            assertThat(ledger.request(user, now(), new LedgerOperation.Deposit(10, "d1-" + id)).accepted()).isTrue();
            assertThat(waitFor(Duration.ofSeconds(60), () -> deadLetters(user) == 2))
                    .as("the refused event and the user's next one are parked").isTrue();
            assertThat(published(user)).isEmpty();
            int before = published(busy).size();
            assertThat(waitFor(Duration.ofSeconds(30), () -> published(busy).size() > before))
                    .as("the other segment went on publishing").isTrue();
        } finally {
            stop.set(true);
            traffic.join();
            REFUSED_AFTER_SENDING.remove(user);
        }
        assertThat(resolve("publisher", user, "retry").accepted()).isTrue();
        assertThat(published(user)).containsExactly("AccountOpened", "FundsDeposited");
        assertThat(deadLetters(user)).isZero();
    }

    /** {@code prefix} with the first suffix that puts it in {@code segment} of the publisher. */
    private static String inSegment(Segment segment, String prefix) {
        return IntStream.range(0, 100).mapToObj(i -> prefix + "-" + i).filter(segment::matches).findFirst()
                .orElseThrow();
    }

    @Test
    void aBrokerThatDoesNotAnswerParksNoEventAndTheyArePublishedOnceItIsBack() throws Exception {
        String user = "unanswered-" + UUID.randomUUID().toString().substring(0, 8);
        UNANSWERED.add(user);
        try {
            assertThat(ledger.request(user, now(), new LedgerOperation.Deposit(10, "d1")).accepted()).isTrue();
            // More sends than its two events: a publisher that parked what the broker did not answer would have
            // parked them at the first try (as it does what the broker refuses) and sent nothing again.
            assertThat(waitFor(Duration.ofSeconds(30), () -> unansweredSends(user) >= 3))
                    .as("the publisher kept sending the user's events").isTrue();
            assertThat(deadLetters(user)).isZero();
            assertThat(published(user)).isEmpty();
        } finally {
            UNANSWERED.remove(user);
        }
        assertThat(waitFor(Duration.ofSeconds(60), () -> published(user).size() == 2)).isTrue();
        assertThat(deadLetters(user)).isZero();
    }

    private LedgerReply resolve(String consumer, String item, String action) {
        return ledger.request("ops", now(), new LedgerOperation.ResolveParked(consumer, item, action));
    }

    /** Every event whose payload mentions {@code marker} is refused by the database, as a constraint would. */
    private void refuseEventsMentioning(String marker) {
        jdbc.execute("create or replace function refuse_marked() returns trigger language plpgsql as $$ begin"
                + " if position('" + marker + "' in convert_from(new.payload, 'UTF8')) > 0 then"
                + " raise check_violation using message = 'poison refused'; end if; return new; end $$");
        jdbc.execute("create trigger refuse_marked before insert on domain_event_entry for each row"
                + " execute function refuse_marked()");
    }

    private void dropRefusal() {
        jdbc.execute("drop trigger if exists refuse_marked on domain_event_entry");
        jdbc.execute("drop function if exists refuse_marked()");
    }

    private int parkedRequests(String user) {
        return jdbc.queryForObject("select count(*) from parked_request where record_key = ? and status = 'parked'",
                Integer.class, user);
    }

    private int events(String user) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                Integer.class, user);
    }

    private int expiryRows(String user) {
        return jdbc.queryForObject("select count(*) from session_expiry where user_id = ?", Integer.class, user);
    }

    /** {@code user} deposits, then {@code other}, then {@code user} again, each decided before the next is sent. */
    private static void depositTwiceAroundAnothersDeposit(String user, String other, String id) {
        assertThat(ledger.request(user, now(), new LedgerOperation.Deposit(10, "d1-" + id)).accepted()).isTrue();
        assertThat(ledger.request(other, now(), new LedgerOperation.Deposit(20, "o1-" + id)).accepted()).isTrue();
        assertThat(ledger.request(user, now(), new LedgerOperation.Deposit(30, "d2-" + id)).accepted()).isTrue();
    }

    /**
     * {@code user}'s three events (the refused one and the two after it, {@link #depositTwiceAroundAnothersDeposit})
     * are parked within {@code within}, none is on the topic, and the first was parked for the publisher's failure.
     */
    private void assertAllThreeEventsParkedUnpublished(String user, Duration within) throws InterruptedException {
        assertThat(waitFor(within, () -> deadLetters(user) == 3))
                .as("the refused event and the user's later ones wait, in order").isTrue();
        assertThat(published(user)).isEmpty();
        String firstCause = jdbc.queryForObject("select cause_type from dead_letter_entry where sequence_identifier = ?"
                + " order by sequence_index limit 1", String.class, user);
        assertThat(firstCause).contains("EventPublicationFailed");
    }

    private static int unansweredSends(String user) {
        AtomicInteger sends = UNANSWERED_SENDS.get(user);
        return sends == null ? 0 : sends.get();
    }

    private int deadLetters(String user) {
        return jdbc.queryForObject("select count(*) from dead_letter_entry where sequence_identifier = ?",
                Integer.class, user);
    }

    private double gauge(String consumer) {
        return meters.get(ParkedHealth.GAUGES.get(consumer)).gauge().value();
    }

    private String health() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("DEGRADED keeps the instance in service").isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        return body.get("status").asText();
    }

    private static long committedOffset(int partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                PlaybillTestInfrastructure.shared().kafkaBootstrapServers()))) {
            var offset = admin.listConsumerGroupOffsets("playbill-ledger").partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(LedgerTopics.REQUESTS, partition));
            return offset == null ? -1 : offset.offset();
        }
    }

    /** The simple type names of {@code user}'s events on the events topic, in topic order. */
    private static List<String> published(String user) {
        return LedgerTestInfrastructure.published(user, 0).stream().map(LedgerTestInfrastructure::eventType)
                .map(type -> type.substring(type.lastIndexOf('.') + 1)).toList();
    }

    /** As {@link #published}, each event once: a batch published again sends its events again. */
    private static List<String> publishedOnce(String user) {
        Map<String, String> byId = new LinkedHashMap<>();
        for (var record : LedgerTestInfrastructure.published(user, 0)) {
            byId.putIfAbsent(new String(record.headers().lastHeader("axon-message-id").value(),
                    StandardCharsets.UTF_8), LedgerTestInfrastructure.eventType(record));
        }
        return byId.values().stream().map(type -> type.substring(type.lastIndexOf('.') + 1)).toList();
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static boolean waitFor(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    /**
     * The broker boundary of the event publisher: records of {@link #REFUSED} users fail as a broker refuses a record
     * for good, at once, and those of {@link #REFUSED_AFTER_SENDING} users 100 ms after they were sent; records of
     * {@link #UNANSWERED} users time out as with a broker that cannot be reached.
     */
    @TestConfiguration
    static class Broker {

        @Bean
        static BeanPostProcessor refusingBroker() {
            return new BeanPostProcessor() {
                @Override
                @SuppressWarnings("unchecked")
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof ProducerFactory<?, ?> factory)) {
                        return bean;
                    }
                    ProducerFactory<String, byte[]> real = (ProducerFactory<String, byte[]>) factory;
                    return new ProducerFactory<String, byte[]>() {
                        @Override
                        public Producer<String, byte[]> createProducer() {
                            return refusing(real.createProducer());
                        }

                        @Override
                        public ConfirmationMode confirmationMode() {
                            return real.confirmationMode();
                        }

                        @Override
                        public void shutDown() {
                            real.shutDown();
                        }
                    };
                }
            };
        }

        @SuppressWarnings("unchecked")
        static Producer<String, byte[]> refusing(Producer<String, byte[]> real) {
            return (Producer<String, byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                    new Class<?>[]{Producer.class}, (proxy, method, args) -> {
                        if (method.getName().equals("send") && args[0] instanceof ProducerRecord<?, ?> record) {
                            if (REFUSED.contains(String.valueOf(record.key()))) {
                                return CompletableFuture.failedFuture(new RecordTooLargeException("refused"));
                            }
                            if (REFUSED_AFTER_SENDING.contains(String.valueOf(record.key()))) {
                                return CompletableFuture.supplyAsync(() -> {
                                    throw new RecordTooLargeException("refused after sending");
                                }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
                            }
                            if (UNANSWERED.contains(String.valueOf(record.key()))) {
                                UNANSWERED_SENDS.computeIfAbsent(String.valueOf(record.key()),
                                        key -> new AtomicInteger()).incrementAndGet();
                                return CompletableFuture.failedFuture(
                                        new org.apache.kafka.common.errors.TimeoutException("no broker"));
                            }
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
