package io.playbill.ledger.expiry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.playbill.ledger.axon.ExpireSession;
import io.playbill.ledger.parked.Failures;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ends sessions that stopped renewing: every {@code playbill.ledger.expiry-scan-interval} it claims the due rows
 * of {@code session_expiry} and sends each account an {@link ExpireSession}. The account decides (the session may
 * have been renewed meanwhile) and its {@code SessionEnded} removes the row.
 *
 * <p>A row is due once its expiry time is before both now and {@link IntakeProgress#decidedUntil}: while the
 * intake lags (requests waiting in Kafka), sessions are not timed out on the strength of renews not yet decided.
 *
 * <p>Restart-safe: the table is durable and written in the same transaction as the session events. Safe with
 * several instances: {@code FOR UPDATE SKIP LOCKED} lets each claim different rows, and the claim is committed
 * before the commands are sent, so no database lock is held while an account is locked (which could deadlock
 * with a request renewing the same session). A claim lapses after 60 s: if an instance dies, another scan
 * retries; a second {@code ExpireSession} is harmless. A command that fails for a transient reason is tried again
 * soon: a second later at first, later the longer it has been due.
 *
 * <p>A session whose expiry fails for a reason of its own (not an outage: {@link Failures#isTransient}) is retried
 * after 1 s, 2 s, 4 s… and parked after {@code playbill.ledger.expiry-attempts} attempts: left out of the scan, with
 * its error, until an operator retries or skips it ({@link ParkedExpiries}) or a request of the session moves its
 * expiry on. Every other session goes on expiring meanwhile.
 *
 * <p>{@value #LAST_SCAN} is the wall-clock time the last finished scan judged by: the sessions due by then (and by
 * the intake's progress), up to one batch of the most overdue, not claimed or parked, have been sent their expiry.
 * It stands still while the intake's progress is unknown.
 */
@Component
class SessionExpiryScanner {

    private static final long CLAIM_MILLIS = 60_000;
    private static final int BATCH_SIZE = 100;
    private static final Logger log = LoggerFactory.getLogger(SessionExpiryScanner.class);
    /** The pause after a session's first failed expiry; it doubles with every further attempt. */
    private static final long FIRST_RETRY_MILLIS = 1_000;
    static final String LAST_SCAN = "playbill.ledger.expiry.last.scan";

    private final JdbcTemplate jdbc;
    private final CommandGateway commands;
    private final IntakeProgress intake;
    private final int attempts;
    private final AtomicLong lastScanAtMillis = new AtomicLong();

    SessionExpiryScanner(JdbcTemplate jdbc, CommandGateway commands, IntakeProgress intake,
                         @Value("${playbill.ledger.expiry-attempts:5}") int attempts, MeterRegistry meters) {
        if (attempts < 1) {
            throw new IllegalArgumentException("playbill.ledger.expiry-attempts must be at least 1: " + attempts);
        }
        this.jdbc = jdbc;
        this.commands = commands;
        this.intake = intake;
        this.attempts = attempts;
        TimeGauge.builder(LAST_SCAN, lastScanAtMillis, TimeUnit.MILLISECONDS, AtomicLong::get)
                .description("The time the last finished expiry scan judged by, since the epoch")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${playbill.ledger.expiry-scan-interval:1s}")
    void expireDueSessions() {
        long now = System.currentTimeMillis();
        // Expiry is judged by the requests decided so far, not the wall clock: a renew still waiting in Kafka
        // (an outage, an overload) must be decided before its session can time out. Kafka unreachable: no expiry.
        OptionalLong decided = intake.decidedUntil(now);
        if (decided.isEmpty()) {
            log.debug("Intake progress unknown (Kafka unreachable): no expiry this round");
            return;
        }
        long dueBy = Math.min(now, decided.getAsLong());
        for (DueSession due : claimDue(dueBy, now)) {
            try {
                commands.sendAndWait(new ExpireSession(due.userId(), due.session(), dueBy));
            } catch (RuntimeException e) {
                if (Failures.isTransient(e)) {
                    log.warn("Could not expire session {} of {} (retried soon): {}", due.session(), due.userId(),
                            e.toString());
                    retrySoon(due, dueBy);
                } else {
                    failed(due, Failures.describe(e), System.currentTimeMillis());
                }
            }
        }
        lastScanAtMillis.set(now);
    }

    /** Claims rows due by {@code dueBy}, most overdue first; a claim lasts {@link #CLAIM_MILLIS} from {@code now}. */
    private List<DueSession> claimDue(long dueBy, long now) {
        return jdbc.query("update session_expiry set claimed_until_millis = ?"
                        + " where (user_id, session_id) in (select user_id, session_id from session_expiry"
                        + "   where expires_at_millis <= ? and claimed_until_millis <= ? and parked_at_millis is null"
                        + "   order by expires_at_millis limit ? for update skip locked)"
                        + " returning user_id, session_id",
                (row, index) -> new DueSession(row.getString("user_id"), row.getString("session_id")),
                now + CLAIM_MILLIS, dueBy, now, BATCH_SIZE);
    }

    /**
     * A transient failure (typically an intake batch of the account still open, e.g. the deposit that tops the
     * balance up right at the paid end) is retried soon, not after the claim's minute: a player whose client stopped
     * renewing would play that minute unpaid. Not counted as an attempt. The wait grows with how long the session has
     * been due by the intake's progress ({@code dueBy}, not the wall clock: a lagging intake makes nothing overdue):
     * a second at first, a quarter of that time later on, at most the claim's minute, so that rows refused again and
     * again neither flood the log nor take every scan. In an outage this fails too, and the claim lapses as it would.
     */
    private void retrySoon(DueSession due, long dueBy) {
        long now = System.currentTimeMillis();
        try {
            jdbc.update("update session_expiry set claimed_until_millis = ?"
                            + " + least(?, greatest(0, ? - expires_at_millis) / 4) where user_id = ? and session_id = ?",
                    now + FIRST_RETRY_MILLIS,
                    CLAIM_MILLIS - FIRST_RETRY_MILLIS, dueBy, due.userId(), due.session());
        } catch (RuntimeException outage) {
            log.debug("Could not shorten the claim of session {} of {}: {}", due.session(), due.userId(),
                    outage.toString());
        }
    }

    /** Counts the failed attempt; retries after a doubling pause, or parks the row after the last attempt. */
    private void failed(DueSession due, String error, long now) {
        Integer failed = jdbc.query("update session_expiry set attempts = attempts + 1, last_error = ?,"
                        + " claimed_until_millis = ? * power(2, least(attempts, 16))::bigint + ?,"
                        + " parked_at_millis = case when attempts + 1 >= ? then ? end"
                        + " where user_id = ? and session_id = ? returning attempts",
                rs -> rs.next() ? rs.getInt(1) : null, error, FIRST_RETRY_MILLIS, now, attempts, now, due.userId(),
                due.session());
        if (failed != null && failed >= attempts) {
            log.error("Parked the expiry of session {} of {} after {} attempts: {}. It is not expired until an operator"
                    + " retries or skips it (docs/operations.md, \"Parked items\").", due.session(), due.userId(),
                    failed, error);
        } else {
            log.warn("Could not expire session {} of {} (attempt {} of {}): {}", due.session(), due.userId(), failed,
                    attempts, error);
        }
    }

    private record DueSession(String userId, String session) {
    }

    @Configuration
    @EnableScheduling
    static class Scheduling {
    }
}
