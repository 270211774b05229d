package io.playbill.ledger.expiry;

import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.axon.ExpireSession;
import io.playbill.ledger.axon.LedgerCommands;
import io.playbill.ledger.parked.Failures;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.awaitility.Awaitility;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An expiry asked while an intake batch has decided the same account and not committed yet. The batch releases the
 * account's lock after each request but keeps its events uncommitted until its end, and the cache holds the account
 * as the batch left it. Before, the expiry decided from the stored state, waited on the batch's row while holding the
 * account's lock, and the batch's next request for the account waited on that lock: both stood still until Axon's
 * lock timeout (60 s) failed the batch, and that consumer's partitions with it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ExpiryBesideAnOpenBatchIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    LedgerCommands commands;
    @Autowired
    CommandGateway gateway;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    JdbcTemplate jdbc;

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String user = "expiring-" + id;
    private final String session = "s" + id;
    private final long now = System.currentTimeMillis();

    @Test
    void anExpiryBesideAnOpenBatchOfTheAccountIsRefusedAsTransientAndTheBatchGoesOn() throws Exception {
        authorizedSessionWithMoney();

        Outcome outcome = besideAnOpenBatch(() -> {
            commands.beforeBatch(List.of(user));
            return List.of(commands.handle(deposit(user, "batch-1-" + id, now + 1)).join());
        }, this::expire, () -> List.of(commands.handle(deposit(user, "batch-2-" + id, now + 2)).join()));

        assertThat(outcome.batch()).as("before: the batch failed after Axon's 60 s lock timeout")
                .allMatch(LedgerReply::accepted);
        assertThat(outcome.batch().get(1).balance()).isEqualTo(1000 + 5 + 5);
        assertThat(Failures.isTransient(outcome.beside())).as(String.valueOf(outcome.beside())).isTrue();
        assertTheSessionEndsOnceWhenAskedAgain();
    }

    /**
     * The same, with the account no longer cached: the batch's refused request dropped it (Axon forgets an aggregate
     * whose command rolls back), so the expiry would load it from the store, from before the batch's events. Before,
     * only a cached account was checked, and this stood still as above.
     */
    @Test
    void anExpiryBesideAnOpenBatchThatNoLongerCachesTheAccountIsRefusedAsTransientToo() throws Exception {
        authorizedSessionWithMoney();

        Outcome outcome = besideAnOpenBatch(() -> {
            commands.beforeBatch(List.of(user));
            return List.of(commands.handle(deposit(user, "batch-1-" + id, now + 1)).join(),
                    commands.handle(request(user, now + 2, new LedgerOperation.Refund(1_000_000, "too-much-" + id,
                            "more than the balance"))).join());
        }, this::expire, () -> List.of(commands.handle(deposit(user, "batch-3-" + id, now + 3)).join()));

        List<LedgerReply> decided = outcome.batch();
        assertThat(decided.get(1).accepted()).as("the refund is refused").isFalse();
        assertThat(List.of(decided.get(0), decided.get(2))).as("before: the batch failed after Axon's 60 s lock"
                + " timeout").allMatch(LedgerReply::accepted);
        assertThat(decided.get(2).balance()).isEqualTo(1000 + 5 + 5);
        assertThat(Failures.isTransient(outcome.beside())).as(String.valueOf(outcome.beside())).isTrue();
        assertTheSessionEndsOnceWhenAskedAgain();
    }

    /**
     * Two batches changing prices at once (two admins whose requests two intake consumers decide): the price list is
     * one aggregate, which was never cached, so the second batch loaded it from the store, appended at the first
     * batch's sequence and waited on its row while holding the aggregate's lock, and the first batch's next price
     * change waited on that lock until Axon's lock timeout failed it.
     */
    @Test
    void aPriceChangeBesideAnOpenBatchThatChangedPricesIsRefusedAsTransientAndTheBatchGoesOn() throws Exception {
        Outcome outcome = besideAnOpenBatch(
                () -> List.of(commands.handle(request("ops-1", now, new LedgerOperation.SetPrice("first-" + id, 60)))
                        .join()),
                () -> new TransactionTemplate(transactions).execute(status -> commands.handle(request("ops-2",
                        now + 2, new LedgerOperation.SetPrice("other-" + id, 80))).join()),
                () -> List.of(commands.handle(request("ops-1", now + 1,
                        new LedgerOperation.SetPrice("second-" + id, 70))).join()));

        assertThat(outcome.batch()).as("before: the batch failed after Axon's 60 s lock timeout")
                .allMatch(LedgerReply::accepted);
        assertThat(Failures.isTransient(outcome.beside())).as(String.valueOf(outcome.beside())).isTrue();
        assertThat(ledger.request("ops-2", now + 3, new LedgerOperation.SetPrice("other-" + id, 80)).accepted())
                .as("asked again once the batch committed").isTrue();
    }

    /**
     * A batch that only read the account (a retried deposit, answered as before) appended nothing, so it holds up
     * nobody: an expiry beside it ends the session at once. Axon saves every aggregate a command loaded, so marking
     * each saved account refused this expiry until the batch committed, and the scanner came back a minute later.
     */
    @Test
    void anExpiryBesideAnOpenBatchThatOnlyReadTheAccountEndsTheSessionAtOnce() throws Exception {
        authorizedSessionWithMoney();

        Outcome outcome = besideAnOpenBatch(() -> {
            commands.beforeBatch(List.of(user));
            return List.of(commands.handle(request(user, now + 1,
                    new LedgerOperation.Deposit(1000, "pay-" + id))).join());
        }, this::expire, List::of);

        assertThat(outcome.batch()).as("the retried deposit is answered as before").allMatch(LedgerReply::accepted);
        assertThat(outcome.beside()).as("the expiry was decided").isNull();
        assertThat(sessionsEnded()).isEqualTo(1);
    }

    /**
     * The scanner's own expiry beside an open batch of the account (here the deposit that tops the balance up right
     * at the session's end) is refused as transient. It was tried again only once its claim lapsed, a minute later:
     * a client that had stopped renewing played that minute unpaid. The next scans try it again now.
     */
    @Test
    void theScannersExpiryRefusedBesideAnOpenBatchIsTriedAgainWithinSeconds(@Autowired MeterRegistry meters)
            throws Exception {
        // Authorized so that its authorization times out (10 minutes) in a few seconds, once the batch is open.
        long authorizedAt = System.currentTimeMillis() - 600_000 + 10_000;
        String queue = "queue-" + id;
        assertThat(ledger.request("ops", authorizedAt - 60_000, new LedgerOperation.SetPrice(queue, 60)).accepted())
                .isTrue();
        assertThat(ledger.request(user, authorizedAt, new LedgerOperation.Deposit(1000, "pay-" + id)).accepted())
                .isTrue();
        assertThat(ledger.request(user, authorizedAt, new LedgerOperation.AuthorizeSession(session, queue))
                .accepted()).isTrue();
        CountDownLatch decided = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<LedgerReply> batch = CompletableFuture.supplyAsync(() ->
                new TransactionTemplate(transactions).execute(status -> {
                    commands.beforeBatch(List.of(user));
                    LedgerReply reply = commands.handle(deposit(user, "top-up-" + id, authorizedAt + 1)).join();
                    decided.countDown();
                    await(commit);
                    return reply;
                }));
        assertThat(decided.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(sessionsEnded()).as("the batch opened before the session's end").isZero();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("select"
                    + " claimed_until_millis from session_expiry where user_id = ?", Long.class, user) > 0);
            long claimedBy = System.currentTimeMillis();
            // A scan that began after the claim has ended, so the claiming scan's attempt is over.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> meters.get(SessionExpiryScanner.LAST_SCAN)
                    .timeGauge().value(TimeUnit.MILLISECONDS) > claimedBy);
            assertThat(sessionsEnded()).as("refused beside the open batch").isZero();
        } finally {
            commit.countDown();
        }
        assertThat(batch.get(20, TimeUnit.SECONDS).accepted()).isTrue();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sessionsEnded() == 1);
    }

    private int sessionsEnded() {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?"
                + " and payload_type like '%SessionEnded'", Integer.class, user);
    }

    /** What the batch decided, and what the call beside it threw (null when it was answered). */
    private record Outcome(List<LedgerReply> batch, Throwable beside) {
    }

    /**
     * Decides {@code first} in a transaction as an intake batch does, then, while that transaction is open, calls
     * {@code beside} on another thread, then decides {@code rest} in the same transaction. Before the fixes, the call
     * beside waited on the batch's row while holding the aggregate's lock, for ever; now it is refused at once.
     */
    private Outcome besideAnOpenBatch(Supplier<List<LedgerReply>> first, Supplier<?> beside,
                                      Supplier<List<LedgerReply>> rest) throws Exception {
        CountDownLatch firstDecided = new CountDownLatch(1);
        CountDownLatch besideTried = new CountDownLatch(1);
        CompletableFuture<List<LedgerReply>> batch = CompletableFuture.supplyAsync(() ->
                new TransactionTemplate(transactions).execute(status -> {
                    List<LedgerReply> replies = new ArrayList<>(first.get());
                    firstDecided.countDown();
                    await(besideTried);
                    replies.addAll(rest.get());
                    return replies;
                }));
        assertThat(firstDecided.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<?> other = CompletableFuture.supplyAsync(beside);
        try {
            other.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException settledOrStuck) {
            // returned below
        }
        besideTried.countDown();
        List<LedgerReply> decided = batch.get(20, TimeUnit.SECONDS);
        return new Outcome(decided, catchThrowable(() -> other.get(20, TimeUnit.SECONDS)));
    }

    private void authorizedSessionWithMoney() {
        String queue = "queue-" + id;
        assertThat(ledger.request("ops", now - 60_000, new LedgerOperation.SetPrice(queue, 60)).accepted()).isTrue();
        assertThat(ledger.request(user, now, new LedgerOperation.Deposit(1000, "pay-" + id)).accepted()).isTrue();
        assertThat(ledger.request(user, now, new LedgerOperation.AuthorizeSession(session, queue)).accepted())
                .isTrue();
    }

    private Object expire() {
        return gateway.sendAndWait(new ExpireSession(user, session, now + 86_400_000L));
    }

    /** The scanner asks again once its claim lapses: now the session ends, once. */
    private void assertTheSessionEndsOnceWhenAskedAgain() {
        expire();
        assertThat(sessionsEnded()).isEqualTo(1);
    }

    private static LedgerRequest deposit(String user, String reference, long at) {
        return request(user, at, new LedgerOperation.Deposit(5, reference));
    }

    private static LedgerRequest request(String user, long at, LedgerOperation operation) {
        return new LedgerRequest(UUID.randomUUID().toString(), user, at, operation, TestActors.of(user, operation));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
