package io.playbill.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.StoredText;
import io.playbill.service.web.ApiException;
import jakarta.annotation.PreDestroy;
import io.playbill.query.projection.LedgerTopic;
import io.playbill.query.statement.Liability;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs audits in the background and keeps each one's status and report in {@code audit_run}, so that any instance
 * answers for it (an audit can take minutes; proxies time out sooner).
 *
 * <p>One audit runs at a time across all instances: a running audit holds a PostgreSQL advisory lock in a
 * transaction kept open on a connection of its own. Asked to start another, any instance answers 409 naming the
 * running one. The lock also tells a running audit from an orphan: a {@code running} row while nobody holds the lock
 * was left by an instance that died (or lost its database) mid-audit, and is marked failed; an audit another instance
 * is running is never touched.
 */
@Component
public class Audits {

    private static final Logger log = LoggerFactory.getLogger(Audits.class);
    /** How long a second instance waits for the running audit's id (recorded within milliseconds of the lock). */
    private static final Duration RECORDING = Duration.ofSeconds(2);

    private final AuditRun.Context context;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final DataSource dataSource;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "audit"));
    private final AtomicReference<String> running = new AtomicReference<>();

    Audits(LedgerStore store, LedgerTopic topic, ObjectMapper json, JdbcTemplate jdbc, DataSource dataSource,
           @Qualifier("serializer") Serializer serializer, Liability liability, AuditProperties properties,
           Clock clock, PlatformTransactionManager transactions) {
        this.context = new AuditRun.Context(store, topic, new EventDecoder(json), jdbc, oneSnapshot(transactions),
                serializer, liability, properties, clock);
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
    }

    /**
     * A read-only transaction whose statements all read one snapshot: the live processor commits a user's rows of
     * every table together, so rows read across tables in one snapshot stand at one event.
     */
    private static TransactionTemplate oneSnapshot(PlatformTransactionManager transactions) {
        TransactionTemplate snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
        return snapshot;
    }

    /**
     * Starts auditing one account ({@code user}) or all (null), with balances as of {@code asOf} (null: all
     * events); 409 while an audit runs, on this instance or another.
     */
    public AuditRunView start(String user, Instant asOf) {
        String id = UUID.randomUUID().toString();
        if (!running.compareAndSet(null, id)) {
            throw inProgress(Optional.of(running.get()));
        }
        Instant startedAt = clock.instant();
        AuditLock lock = null;
        try {
            lock = takeLockUnlessAnAuditRuns();
            failOrphans();
            jdbc.update("insert into audit_run (id, status, account, as_of, started_at) values (?, ?, ?, ?, ?)", id,
                    AuditRunView.RUNNING, StoredText.clean(user), asOf == null ? null : utc(asOf), utc(startedAt));
            AuditLock held = lock;
            runner.execute(() -> run(id, user, asOf, held));
        } catch (RuntimeException e) {
            running.set(null);
            if (lock != null) {
                lock.release();
            }
            throw e;
        }
        return new AuditRunView(id, AuditRunView.RUNNING, user, asOf, startedAt, null, null, null);
    }

    /**
     * Marks failed the audits whose instance died or lost its database mid-audit: {@code running} rows while nobody
     * holds the audit lock. At start-up and every 10 s, so that a caller following one learns it will not finish.
     */
    @EventListener(ApplicationReadyEvent.class)
    @Scheduled(fixedDelay = 10_000, initialDelay = 10_000)
    void failInterrupted() {
        if (running.get() != null) {
            return;
        }
        try {
            Optional<AuditLock> lock = AuditLock.tryTake(dataSource);
            if (lock.isPresent()) {
                try {
                    failOrphans();
                } finally {
                    lock.get().release();
                }
            }
        } catch (DataAccessException e) {
            // The database is down: the next run looks again.
            log.debug("Looking for interrupted audits failed: {}", e.toString());
        }
    }

    /** Only while holding the audit lock: then no audit is running anywhere. */
    private void failOrphans() {
        int failed = jdbc.update("update audit_run set status = ?, error = ?, finished_at = ? where status = ?",
                AuditRunView.FAILED, "Interrupted: the query service running it stopped or lost its database",
                utc(clock.instant()), AuditRunView.RUNNING);
        if (failed > 0) {
            log.info("Marked {} interrupted audit(s) failed", failed);
        }
    }

    /**
     * The audit lock, or 409 once an audit of another instance is seen running, waiting up to {@link #RECORDING}:
     * the instance holding the lock records its audit a moment after taking it (a caller told only "an audit is
     * starting" could not follow it), and every instance's look for interrupted audits ({@link #failInterrupted})
     * holds the lock for a moment too, which a start waits out instead of answering 409 while no audit runs.
     */
    private AuditLock takeLockUnlessAnAuditRuns() {
        long until = System.nanoTime() + RECORDING.toNanos();
        while (true) {
            Optional<AuditLock> lock = AuditLock.tryTake(dataSource);
            if (lock.isPresent()) {
                return lock.get();
            }
            Optional<String> runningId = runningId();
            if (runningId.isPresent() || System.nanoTime() >= until) {
                throw inProgress(runningId);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw inProgress(runningId);
            }
        }
    }

    private Optional<String> runningId() {
        return jdbc.queryForList("select id from audit_run where status = ? order by started_at desc limit 1",
                String.class, AuditRunView.RUNNING).stream().findFirst();
    }

    /** The same answer from every instance, naming the running audit when it is known yet. */
    private static ApiException inProgress(Optional<String> id) {
        return new ApiException(HttpStatus.CONFLICT, "audit_in_progress", id
                .map(running -> "Audit " + running + " is running; follow it at /admin/audits/" + running)
                .orElse("An audit is starting; retry in a moment"));
    }

    public Optional<AuditRunView> find(String id) {
        return jdbc.query("select * from audit_run where id = ?", (rs, row) -> new AuditRunView(rs.getString("id"),
                rs.getString("status"), rs.getString("account"), Jdbc.instant(rs, "as_of"),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "finished_at"), rs.getString("report"),
                rs.getString("error")), id).stream().findFirst();
    }

    private void run(String id, String user, Instant asOf, AuditLock lock) {
        try {
            AuditReport report = new AuditRun(context, user, asOf).run();
            log.info("Audit {} of {}{}: {} accounts, {} store events, {} topic records in {} ms, {} findings", id,
                    user == null ? "all accounts" : user, asOf == null ? "" : " as of " + asOf,
                    report.accountsChecked(), report.storeEvents(), report.topicRecords(), report.durationMillis(),
                    report.findingCount());
            finish(id, AuditRunView.COMPLETED, json.writeValueAsString(report), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(id, AuditRunView.FAILED, null, "Interrupted");
        } catch (SQLException | JsonProcessingException | RuntimeException e) {
            log.warn("Audit {} failed", id, e);
            finish(id, AuditRunView.FAILED, null, e.getMessage());
        } finally {
            lock.release();
            running.set(null);
        }
    }

    private void finish(String id, String status, String report, String error) {
        try {
            jdbc.update("update audit_run set status = ?, report = ?, error = ?, finished_at = ? where id = ?", status,
                    report, StoredText.clean(error), utc(clock.instant()), id);
        } catch (DataAccessException e) {
            // The database is down: once the lock is released, failInterrupted marks the audit failed.
            log.warn("Could not record the end of audit {}: {}", id, e.toString());
        }
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Configuration
    @EnableConfigurationProperties(AuditProperties.class)
    static class Properties {
    }
}
