package io.playbill.query.audit;

import io.playbill.ledger.api.events.PriceSet;
import io.playbill.query.audit.rules.AuditEvent;
import io.playbill.query.audit.rules.Findings;
import io.playbill.query.audit.rules.PriceHistory;
import io.playbill.query.projection.LedgerTopic;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.TrackingPositions;
import io.playbill.query.readmodel.FinanceBuckets;
import io.playbill.query.statement.Liability;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One audit: reads the topic (on its own thread) and the event store (account by account) independently, audits
 * every account ({@link AccountAudit}) and checks it against its projection rows ({@link ProjectionCheck}) in
 * batches of accounts, then has the two sources compared ({@link SourceCheck}) and the projections' totals
 * ({@link TotalsCheck}).
 */
final class AuditRun {

    /** Accounts whose projection rows are read together. */
    private static final int BATCH_EVENTS = 5_000;

    private final Context context;
    private final String user;
    private final Instant asOf;
    private final Findings findings;
    private final PriceHistory prices = new PriceHistory();
    private final FinanceBuckets rollups;
    private final SourceCheck sources;
    private final List<String> notes = new ArrayList<>();
    private final List<List<AuditEvent>> batch = new ArrayList<>();
    private List<AuditEvent> group = new ArrayList<>();
    private ProjectionCheck projections;
    private int batchEvents;
    private long storeEvents;
    private long accountsChecked;
    private long balanceSum;
    private long recordedBalanceSum;

    AuditRun(Context context, String user, Instant asOf) {
        this.context = context;
        this.user = user;
        this.asOf = asOf;
        this.findings = new Findings(context.properties().maxFindings());
        this.rollups = user == null && asOf == null ? new FinanceBuckets() : null;
        this.sources = new SourceCheck(findings);
    }

    AuditReport run() throws SQLException, InterruptedException {
        Instant started = context.clock().instant();
        long startNanos = System.nanoTime();
        LedgerTopic.Offsets offsets = context.topic().offsets();
        Map<String, AuditReport.ProjectionCoverage> coverage = coverage(offsets);
        projections = new ProjectionCheck(findings, coverage);
        TopicScan scan = new TopicScan(context.topic(), context.decoder());
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> new Thread(r, "audit-topic-reader"));
        long topicRecords;
        try {
            Future<Long> topicRead = reader.submit(() -> scan.read(offsets, user == null ? null : Set.of(user), false,
                    sources::published));
            context.store().read(user, context.decoder(), this::onPrice, this::onStoreEvent);
            endGroup();
            endBatch();
            topicRecords = topicRead.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Reading the topic failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            reader.shutdownNow();
        }
        boolean sourcesAgree = sources.compare(context, scan, offsets, started, notes);
        projections.judgeLags(sources.published());
        boolean quiet = sourcesAgree && offsets.equals(context.topic().offsets());
        TotalsCheck totals = new TotalsCheck(context, findings, notes);
        if (user == null) {
            totals.allAccounts(quiet, coverage, asOf, rollups,
                    new TotalsCheck.Sums(accountsChecked, balanceSum, recordedBalanceSum));
        } else if (asOf != null) {
            totals.statementAsOf(user, asOf, coverage, balanceSum);
        }
        long durationMillis = Math.max(1, (System.nanoTime() - startNanos) / 1_000_000);
        return new AuditReport(started, context.clock().instant(), durationMillis, user, asOf, findings.count() == 0,
                notes.isEmpty(), accountsChecked, storeEvents, topicRecords, sources.duplicates(),
                Math.round((storeEvents + topicRecords) * 1000.0 / durationMillis),
                user == null ? null : balanceSum, user == null ? balanceSum : null, coverage,
                List.copyOf(notes), findings.count(), findings.byKind(), findings.listed(), findings.truncated());
    }

    private void onPrice(AuditEvent event) {
        if (event.payload() instanceof PriceSet price) {
            prices.add(price, event.timestamp());
        }
    }

    private void onStoreEvent(AuditEvent event) {
        storeEvents++;
        sources.stored(event);
        if (!group.isEmpty() && !group.get(0).aggregateId().equals(event.aggregateId())) {
            endGroup();
        }
        group.add(event);
    }

    private void endGroup() {
        if (group.isEmpty()) {
            return;
        }
        // The price list is the one aggregate that is not an account (known by its stream, as an event of a type
        // this build does not know may be in it too).
        boolean account = !PriceSet.STREAM.equals(group.get(0).aggregateId());
        if (account) {
            batch.add(group);
            batchEvents += group.size();
        }
        group = new ArrayList<>();
        if (batchEvents >= BATCH_EVENTS) {
            endBatch();
        }
    }

    /** Audits a batch of accounts and checks them against their projection rows, read in one go. */
    private void endBatch() {
        if (batch.isEmpty()) {
            return;
        }
        List<String> users = batch.stream().map(events -> events.get(0).aggregateId()).toList();
        // One snapshot: rows read table by table while the live processor commits would stand at different events.
        ProjectionRows rows = asOf == null
                ? context.snapshot().execute(status -> ProjectionRows.load(context.jdbc(), users)) : null;
        for (List<AuditEvent> events : batch) {
            String account = events.get(0).aggregateId();
            AccountAudit audit = new AccountAudit(account, prices, findings, rollups,
                    rows == null ? RecordedAccount.Wanted.NOTHING : rows.wanted(account));
            // As of T, an account holds the balance changes of its events that happened by T on the gateway's clock,
            // as the liability and the statement count them. The ledger may have decided them in another order (a
            // request that waited, two gateway instances), so every event is replayed: one timed after T may come
            // before one that is not.
            long balanceAsOf = 0;
            for (AuditEvent event : events) {
                long before = audit.balance();
                audit.apply(event);
                if (asOf != null && EventTimes.of(event.payload(), event.timestamp().toEpochMilli())
                        <= asOf.toEpochMilli()) {
                    balanceAsOf += audit.balance() - before;
                }
            }
            audit.finish();
            accountsChecked++;
            balanceSum += asOf == null ? audit.balance() : balanceAsOf;
            recordedBalanceSum += audit.recorded().balance();
            if (rows != null) {
                projections.compare(account, rows.of(account), audit.recorded(), events);
            }
        }
        batch.clear();
        batchEvents = 0;
    }

    /**
     * Per projection: had it processed every record on the topic when the audit began. The projections share one
     * live processor, so its positions, read once, answer for each of them.
     */
    private Map<String, AuditReport.ProjectionCoverage> coverage(LedgerTopic.Offsets offsets) {
        Map<TopicPartition, Long> positions = TrackingPositions.stored(context.jdbc(), context.serializer(),
                Projection.LIVE_PROCESSOR);
        long behind = offsets.records() - TrackingPositions.processed(positions, offsets.beginning());
        AuditReport.ProjectionCoverage live = new AuditReport.ProjectionCoverage(
                TrackingPositions.reached(positions, offsets.beginning(), offsets.end()), Math.max(0, behind));
        Map<String, AuditReport.ProjectionCoverage> result = new LinkedHashMap<>();
        for (Projection projection : Projection.values()) {
            result.put(projection.id(), live);
        }
        return result;
    }

    /** What a run needs from the service. */
    record Context(LedgerStore store, LedgerTopic topic, EventDecoder decoder, JdbcTemplate jdbc,
                   TransactionTemplate snapshot, Serializer serializer, Liability liability,
                   AuditProperties properties, Clock clock) {
    }
}
