package io.playbill.ledger.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two operators resolving the same parked request at once (two admins' requests, which the gateway keys by admin, on
 * two instances): exactly one of them acts, the other answers not found, and the stored status is what happened.
 *
 * <p>The race is forced, not hoped for: the retried request's event insert waits on an advisory lock the test holds
 * until the second resolution has either finished or is itself waiting on a lock.
 */
@SpringBootTest
class ParkedRequestRaceIntegrationTest extends LedgerIntegrationTest {

    private static final long HOLD = 720_451L;

    @Autowired
    LedgerRequestListener listener;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    ObjectMapper json;
    private ParkedRequestFixture parked;

    @BeforeEach
    void fixture() {
        parked = new ParkedRequestFixture(jdbc, json, listener, dataSource);
    }

    @Test
    void aSkipWhileARetryOfTheSameItemIsDecidingFindsNothingParkedAndTheItemStaysRetried() throws Exception {
        Map<String, Map<String, Object>> answers = race("retry", "skip");
        assertThat(answers.get("retry")).as("the retry, first, decided it").containsEntry("accepted", true);
        assertThat(answers.get("skip")).as("the skip came too late")
                .containsEntry("accepted", false).containsEntry("error_code", "PARKED_ITEM_NOT_FOUND");
    }

    @Test
    void twoRetriesOfTheSameItemAtOnceDecideItOnce() throws Exception {
        Map<String, Map<String, Object>> answers = race("retry", "retry again");
        assertThat(answers.get("retry")).containsEntry("accepted", true);
        assertThat(answers.get("retry again")).as("the second retry came too late")
                .containsEntry("accepted", false).containsEntry("error_code", "PARKED_ITEM_NOT_FOUND");
    }

    /**
     * Parks a deposit, then resolves it with {@code first} and, while {@code first} is deciding it, with
     * {@code second} ("retry ..." or "skip ..."). The answers each got, as kept in {@code parked_resolution}, by name.
     */
    private Map<String, Map<String, Object>> race(String first, String second) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "raced-" + id;
        long parkedId = parked.parkDeposit(user, "held-" + id);
        String firstId = UUID.randomUUID().toString();
        String secondId = UUID.randomUUID().toString();
        AtomicReference<Thread> secondThread = new AtomicReference<>();
        parked.overlap("held-" + id, HOLD, () -> resolve(firstId, parkedId, first), () -> {
            secondThread.set(Thread.currentThread());
            resolve(secondId, parkedId, second);
            // Held once done, or waiting for the first: on a row lock, or on the account's lock in this JVM (Axon's).
        }, two -> two.isDone() || parked.waitingForLocks() == 2 || waitsForAnAggregate(secondThread.get()));
        Map<String, Map<String, Object>> answers = Map.of(first, parked.answer(firstId), second,
                parked.answer(secondId));
        String status = jdbc.queryForObject("select status from parked_request where id = ?", String.class, parkedId);
        String acted = answers.entrySet().stream().filter(answer -> Boolean.TRUE.equals(answer.getValue()
                .get("accepted"))).map(Map.Entry::getKey).findFirst().orElse("none");
        assertThat(answers.values().stream().filter(answer -> Boolean.TRUE.equals(answer.get("accepted"))))
                .as("exactly one resolution acted: %s", answers).hasSize(1);
        assertThat(status).as("the stored status says what the one that acted did")
                .isEqualTo(acted.startsWith("skip") ? "skipped" : "retried");
        assertThat(parked.eventsNaming(user, "held-" + id))
                .as("the deposit decided once").isEqualTo(acted.startsWith("skip") ? 0 : 1);
        return answers;
    }

    /** An admin's "retry ..." or "skip ..." of parked request {@code parkedId}, from an operator's thread. */
    private void resolve(String requestId, long parkedId, String action) {
        try {
            parked.resolve(requestId, parkedId, action.split(" ")[0]);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean waitsForAnAggregate(Thread thread) {
        return thread != null && thread.getState() != Thread.State.RUNNABLE && Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().startsWith("org.axonframework.common.lock"));
    }
}
