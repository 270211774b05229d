package io.playbill.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.StoredText;
import jakarta.annotation.PreDestroy;
import io.playbill.query.projection.LedgerTopic;
import io.playbill.query.statement.Liability;
import io.playbill.query.web.ApiException;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs audits in the background, one at a time per instance, and keeps each one's status and report in
 * {@code audit_run} so that any instance answers for it (an audit can take minutes; proxies time out sooner).
 */
@Component
public class Audits {

    private static final Logger log = LoggerFactory.getLogger(Audits.class);

    private final AuditRun.Context context;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "audit"));
    private final AtomicReference<String> running = new AtomicReference<>();

    Audits(LedgerStore store, LedgerTopic topic, ObjectMapper json, JdbcTemplate jdbc,
           @Qualifier("serializer") Serializer serializer, Liability liability, AuditProperties properties,
           Clock clock) {
        this.context = new AuditRun.Context(store, topic, new EventDecoder(json), jdbc, serializer, liability,
                properties, clock);
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** An audit this instance was running when it stopped will never finish: say so. */
    @EventListener(ApplicationReadyEvent.class)
    void failInterrupted() {
        jdbc.update("update audit_run set status = ?, error = ?, finished_at = ? where status = ?",
                AuditRunView.FAILED, "Interrupted: the query service restarted during the audit", utc(clock.instant()),
                AuditRunView.RUNNING);
    }

    /**
     * Starts auditing one account ({@code user}) or all (null), with balances replayed up to {@code asOf} (null: all
     * events); 409 while this instance runs another audit.
     */
    public AuditRunView start(String user, Instant asOf) {
        String id = UUID.randomUUID().toString();
        if (!running.compareAndSet(null, id)) {
            throw new ApiException(HttpStatus.CONFLICT, "audit_in_progress", "Audit " + running.get()
                    + " is running; follow it at /admin/audits/" + running.get());
        }
        Instant startedAt = clock.instant();
        try {
            jdbc.update("insert into audit_run (id, status, account, as_of, started_at) values (?, ?, ?, ?, ?)", id,
                    AuditRunView.RUNNING, StoredText.clean(user), asOf == null ? null : utc(asOf), utc(startedAt));
            runner.execute(() -> run(id, user, asOf));
        } catch (RuntimeException e) {
            running.set(null);
            throw e;
        }
        return new AuditRunView(id, AuditRunView.RUNNING, user, asOf, startedAt, null, null, null);
    }

    public Optional<AuditRunView> find(String id) {
        return jdbc.query("select * from audit_run where id = ?", (rs, row) -> new AuditRunView(rs.getString("id"),
                rs.getString("status"), rs.getString("account"), Jdbc.instant(rs, "as_of"),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "finished_at"), rs.getString("report"),
                rs.getString("error")), id).stream().findFirst();
    }

    private void run(String id, String user, Instant asOf) {
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
            running.set(null);
        }
    }

    private void finish(String id, String status, String report, String error) {
        jdbc.update("update audit_run set status = ?, report = ?, error = ?, finished_at = ? where id = ?", status,
                report, StoredText.clean(error), utc(clock.instant()), id);
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
