package io.playbill.query.audit;

import io.playbill.ledger.api.events.PriceSet;
import io.playbill.query.projection.LedgerTopic;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.TrackingPositions;
import io.playbill.query.readmodel.FinanceBuckets;
import io.playbill.query.statement.Liability;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One audit: reads the topic (on its own thread) and the event store (account by account) independently, replays
 * every account with {@link AccountAudit}, compares it with the projections in batches of accounts, then compares
 * the two sources event by event and, on a quiet ledger, the global rollups and the liability.
 */
final class AuditRun {

    /** Accounts whose projection rows are read together. */
    private static final int BATCH_EVENTS = 5_000;
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

    private final Context context;
    private final String user;
    private final Instant asOf;
    private final Findings findings;
    private final PriceHistory prices = new PriceHistory();
    private final FinanceBuckets rollups;
    private final Map<String, Trail> storeTrails = new HashMap<>();
    private final Map<String, Trail> topicTrails = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<List<AuditEvent>> batch = new ArrayList<>();
    private final List<ProjectionRows.Lag> lags = new ArrayList<>();
    private List<AuditEvent> group = new ArrayList<>();
    private int batchEvents;
    private long storeEvents;
    private long accountsChecked;
    private long balanceSum;
    private long recordedBalanceSum;
    private Map<String, AuditReport.ProjectionCoverage> coverage;

    AuditRun(Context context, String user, Instant asOf) {
        this.context = context;
        this.user = user;
        this.asOf = asOf;
        this.findings = new Findings(context.properties().maxFindings());
        this.rollups = user == null && asOf == null ? new FinanceBuckets() : null;
    }

    AuditReport run() throws SQLException, InterruptedException {
        Instant started = context.clock().instant();
        long startNanos = System.nanoTime();
        LedgerTopic.Offsets offsets = context.topic().offsets();
        coverage = coverage(offsets);
        TopicScan scan = new TopicScan(context.topic(), context.decoder());
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> new Thread(r, "audit-topic-reader"));
        long topicRecords;
        try {
            Future<Long> topicRead = reader.submit(() -> scan.read(offsets, user == null ? null : Set.of(user), false,
                    this::onTopicEvent));
            context.store().read(user, context.decoder(), this::onPrice, this::onStoreEvent);
            endGroup();
            endBatch();
            topicRecords = topicRead.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Reading the topic failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            reader.shutdownNow();
        }
        boolean sourcesAgree = compareSources(scan, offsets, started);
        judgeLags();
        boolean quiet = sourcesAgree && offsets.equals(context.topic().offsets());
        if (user == null) {
            globalChecks(quiet);
        } else if (asOf != null) {
            statementAsOf();
        }
        long durationMillis = Math.max(1, (System.nanoTime() - startNanos) / 1_000_000);
        long duplicates = topicTrails.values().stream().mapToLong(Trail::duplicates).sum();
        return new AuditReport(started, context.clock().instant(), durationMillis, user, asOf, findings.count() == 0,
                accountsChecked, storeEvents, topicRecords, duplicates,
                Math.round((storeEvents + topicRecords) * 1000.0 / durationMillis),
                user == null ? null : balanceSum, user == null ? balanceSum : null, coverage,
                List.copyOf(notes), findings.count(), findings.byKind(), findings.listed(), findings.truncated());
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    private void onPrice(AuditEvent event) {
        if (event.payload() instanceof PriceSet price) {
            prices.add(price);
        }
    }

    private void onTopicEvent(AuditEvent event) {
        if (event.payload() instanceof AuditEvent.UndecodablePayload undecodable) {
            findings.invariant("undecodable_event", event.aggregateId(), event, undecodable.error());
        }
        if (event.sequence() >= 0) {
            topicTrails.computeIfAbsent(event.aggregateId(), k -> new Trail()).add(event);
        }
    }

    private void onStoreEvent(AuditEvent event) {
        storeEvents++;
        storeTrails.computeIfAbsent(event.aggregateId(), k -> new Trail()).add(event);
        if (!group.isEmpty() && !group.get(0).aggregateId().equals(event.aggregateId())) {
            endGroup();
        }
        group.add(event);
    }

    private void endGroup() {
        if (group.isEmpty()) {
            return;
        }
        // The price list is the one aggregate that is not an account.
        boolean account = group.stream().anyMatch(event -> !(event.payload() instanceof PriceSet));
        if (account) {
            batch.add(group);
            batchEvents += group.size();
        }
        group = new ArrayList<>();
        if (batchEvents >= BATCH_EVENTS) {
            endBatch();
        }
    }

    /** Replays a batch of accounts and compares them with their projection rows, read in one go. */
    private void endBatch() {
        if (batch.isEmpty()) {
            return;
        }
        List<String> users = batch.stream().map(events -> events.get(0).aggregateId()).toList();
        ProjectionRows rows = asOf == null ? ProjectionRows.load(context.jdbc(), users) : null;
        for (List<AuditEvent> events : batch) {
            String account = events.get(0).aggregateId();
            AccountAudit audit = new AccountAudit(account, prices, findings, rollups,
                    rows == null ? AccountAudit.Wanted.NOTHING : rows.wanted(account));
            for (AuditEvent event : events) {
                if (asOf != null && EventTimes.of(event.payload(), event.timestamp().toEpochMilli())
                        > asOf.toEpochMilli()) {
                    break;
                }
                audit.apply(event);
            }
            audit.finish();
            accountsChecked++;
            balanceSum += audit.balance();
            recordedBalanceSum += audit.recordedBalance();
            if (rows != null) {
                List<ProjectionRows.Lag> accountLags = new ArrayList<>();
                rows.compare(audit, new ProjectionRows.Events(events), findings, accountLags);
                accountLags.stream().filter(lag -> coverage.get(lag.projection()).caughtUp()).forEach(lags::add);
            }
        }
        batch.clear();
        batchEvents = 0;
    }

    // ---- comparing --------------------------------------------------------------------------------------------

    private Map<String, AuditReport.ProjectionCoverage> coverage(LedgerTopic.Offsets offsets) {
        Map<String, AuditReport.ProjectionCoverage> result = new LinkedHashMap<>();
        for (Projection projection : Projection.values()) {
            Map<TopicPartition, Long> positions = TrackingPositions.stored(context.jdbc(), context.serializer(),
                    Projection.LIVE_PROCESSOR);
            long behind = offsets.records() - TrackingPositions.processed(positions, offsets.beginning());
            result.put(projection.id(), new AuditReport.ProjectionCoverage(
                    TrackingPositions.reached(positions, offsets.beginning(), offsets.end()), Math.max(0, behind)));
        }
        return result;
    }

    /**
     * The store and the topic must hold the same events. An event on the topic was stored before it was published,
     * so it must be in the store's snapshot (read after the topic's end offsets were fixed); a stored event may be
     * missing from the topic only while it is younger than the publishing grace.
     *
     * @return whether both hold exactly the same events
     */
    private boolean compareSources(TopicScan scan, LedgerTopic.Offsets offsets, Instant offsetsAt)
            throws SQLException {
        Set<String> differing = new HashSet<>();
        for (Map.Entry<String, Trail> stored : storeTrails.entrySet()) {
            if (!stored.getValue().sameEventsAs(topicTrails.get(stored.getKey()))) {
                differing.add(stored.getKey());
            }
        }
        for (String aggregate : topicTrails.keySet()) {
            if (!storeTrails.containsKey(aggregate)) {
                differing.add(aggregate);
            }
        }
        if (differing.isEmpty()) {
            return true;
        }
        Map<String, Map<Long, AuditEvent>> stored = bySequence(context.store().events(differing, context.decoder()));
        List<AuditEvent> published = new ArrayList<>();
        scan.read(offsets, differing, true, published::add);
        Map<String, Map<Long, AuditEvent>> onTopic = bySequence(published);
        Instant grace = offsetsAt.minus(context.properties().publishGrace());
        long unpublished = 0;
        for (String aggregate : differing.stream().sorted().toList()) {
            Map<Long, AuditEvent> inStore = stored.getOrDefault(aggregate, Map.of());
            Map<Long, AuditEvent> inTopic = onTopic.getOrDefault(aggregate, Map.of());
            Set<Long> sequences = new TreeSet<>(inStore.keySet());
            sequences.addAll(inTopic.keySet());
            for (long sequence : sequences) {
                AuditEvent store = inStore.get(sequence);
                AuditEvent topic = inTopic.get(sequence);
                if (store == null) {
                    findings.invariant("missing_from_store", aggregate, topic, "Event #" + sequence + " ("
                            + topic.typeName() + ", id " + topic.eventId() + ") is on the topic but not in the event"
                            + " store");
                } else if (topic == null) {
                    if (store.timestamp().isAfter(grace)) {
                        unpublished++;
                    } else {
                        findings.invariant("missing_from_topic", aggregate, store, "Event #" + sequence + " ("
                                + store.typeName() + ", id " + store.eventId() + ", stored " + store.timestamp()
                                + ") is in the event store but not on the topic");
                    }
                } else if (!store.eventId().equals(topic.eventId())
                        || !Objects.equals(store.payload(), topic.payload())) {
                    findings.invariant("topic_store_differ", aggregate, store, "Event #" + sequence + " differs:"
                            + " store " + store.eventId() + " " + store.payload() + ", topic " + topic.eventId() + " "
                            + topic.payload());
                }
            }
        }
        if (unpublished > 0) {
            notes.add(unpublished + " stored events younger than the publishing grace are not on the topic yet");
        }
        return false;
    }

    private static Map<String, Map<Long, AuditEvent>> bySequence(List<AuditEvent> events) {
        Map<String, Map<Long, AuditEvent>> result = new HashMap<>();
        for (AuditEvent event : events) {
            result.computeIfAbsent(event.aggregateId(), k -> new HashMap<>()).putIfAbsent(event.sequence(), event);
        }
        return result;
    }

    /** A projection that had passed the whole topic must have applied every event the topic held. */
    private void judgeLags() {
        for (ProjectionRows.Lag lag : lags) {
            Trail published = topicTrails.get(lag.user());
            if (published != null && lag.needed() <= published.maxSequence()) {
                findings.mismatch("projection_behind", lag.user(), lag.projection(), null, "The " + lag.what()
                        + " has applied events up to #" + lag.applied() + ", but the projection had passed event #"
                        + lag.needed() + " on the topic");
            }
        }
    }

    private void globalChecks(boolean quiet) {
        boolean allCaughtUp = coverage.values().stream().allMatch(AuditReport.ProjectionCoverage::caughtUp);
        if (!quiet || !allCaughtUp) {
            notes.add("Finance rollups, liability and account count were not compared: they need a quiet ledger"
                    + " (no event published during the audit, store and topic equal) and every projection caught up");
            return;
        }
        if (asOf == null) {
            compareRollups();
            long liability = context.liability().asOf(END_OF_TIME);
            if (liability != recordedBalanceSum) {
                findings.mismatch("liability_mismatch", null, "statement", null, "The liability from the statement"
                        + " rollups is " + liability + "; the accounts' balances add up to " + recordedBalanceSum);
            }
            Long rows = context.jdbc().queryForObject("select count(*) from account", Long.class);
            if (rows != null && rows != accountsChecked) {
                findings.mismatch("projection_mismatch", null, "accounts", null, "The account projection has " + rows
                        + " rows; the event store has " + accountsChecked + " accounts");
            }
        } else {
            long liability = context.liability().asOf(asOf);
            if (liability != balanceSum) {
                findings.mismatch("liability_mismatch", null, "statement", null, "The liability as of " + asOf
                        + " from the statement rollups is " + liability + "; the accounts replayed to then give "
                        + balanceSum);
            }
        }
    }

    private void compareRollups() {
        JdbcTemplate jdbc = context.jdbc();
        FinanceBuckets stored = new FinanceBuckets();
        jdbc.query("select * from queue_hour", rs -> {
            stored.addHour(rs.getObject("hour", OffsetDateTime.class).toInstant(), rs.getString("queue"), usage(rs));
        });
        jdbc.query("select * from queue_day", rs -> {
            stored.addDay(rs.getObject("day", LocalDate.class), rs.getString("queue"), usage(rs));
        });
        jdbc.query("select * from money_day", rs -> {
            stored.addMoney(rs.getObject("day", LocalDate.class), new FinanceBuckets.Movements(rs.getLong("deposits"),
                    rs.getLong("deposit_amount"), rs.getLong("refunds"), rs.getLong("refund_amount"),
                    rs.getLong("adjustments"), rs.getLong("adjustment_amount")));
        });
        compareBuckets("queue_hour", rollups.hours(), stored.hours());
        compareBuckets("queue_day", rollups.days(), stored.days());
        compareBuckets("money_day", rollups.money(), stored.money());
    }

    private static FinanceBuckets.Usage usage(ResultSet rs) throws SQLException {
        return new FinanceBuckets.Usage(rs.getLong("revenue"), rs.getLong("playtime_seconds"), rs.getLong("sessions"));
    }

    private <K, V extends FinanceBuckets.Sums> void compareBuckets(String table, Map<K, V> expected,
                                                                   Map<K, V> actual) {
        Set<K> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (K key : keys) {
            V want = expected.get(key);
            V have = actual.get(key);
            boolean zeroRow = want == null && have != null && have.isZero();
            if (!zeroRow && !Objects.equals(want, have)) {
                findings.mismatch("rollup_mismatch", null, "finance", null, table + " " + key + " is "
                        + (have == null ? "missing" : have) + "; the events give "
                        + (want == null ? "nothing" : want));
                return;
            }
        }
    }

    /** One account's balance as of T in its statement must be what replaying its events up to T gives. */
    private void statementAsOf() {
        if (!coverage.get(Projection.STATEMENT.id()).caughtUp()) {
            notes.add("The statement was not compared as of " + asOf + ": the projection has not caught up");
            return;
        }
        List<Long> balances = context.jdbc().queryForList("select balance_after from statement_line where user_id = ?"
                        + " and occurred_at <= ? order by occurred_at desc, seq desc limit 1", Long.class, user,
                OffsetDateTime.ofInstant(asOf, ZoneOffset.UTC));
        long statement = balances.isEmpty() ? 0 : balances.get(0);
        if (statement != balanceSum) {
            findings.mismatch("projection_mismatch", user, "statement", null, "The statement's balance as of " + asOf
                    + " is " + statement + "; the events up to then give " + balanceSum);
        }
    }

    /** What a run needs from the service. */
    record Context(LedgerStore store, LedgerTopic topic, EventDecoder decoder, JdbcTemplate jdbc,
                   Serializer serializer, Liability liability, AuditProperties properties, Clock clock) {
    }
}
