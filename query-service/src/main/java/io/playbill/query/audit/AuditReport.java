package io.playbill.query.audit;

import io.playbill.query.audit.rules.Finding;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The result of an audit.
 *
 * @param user              the one account audited, or null for all
 * @param asOf              the instant the balances are taken at (the changes of the events by then), or null for now
 * @param clean             no finding at all
 * @param complete          every comparison was made; else {@code notes} say which were not (a clean audit of a
 *                          busy ledger leaves out the finance rollups and the liability)
 * @param accountsChecked   accounts replayed from the event store
 * @param storeEvents       events read from the event store
 * @param topicRecords      records read from the topic (duplicates included)
 * @param eventsPerSecond   (store events + topic records) / duration
 * @param balance           one account's balance as the rules give it (as of {@code asOf}); null for all accounts
 * @param liability         Σ of all balances as the rules give them (as of {@code asOf}); null for one account
 * @param projections       per projection: had it processed every record on the topic when the audit began
 * @param notes             what was not compared, and why
 * @param findings          the first {@code playbill.audit.max-findings} findings
 */
public record AuditReport(Instant startedAt, Instant finishedAt, long durationMillis, String user, Instant asOf,
                          boolean clean, boolean complete, long accountsChecked, long storeEvents, long topicRecords,
                          long topicDuplicates, double eventsPerSecond, Long balance, Long liability,
                          Map<String, ProjectionCoverage> projections, List<String> notes, long findingCount,
                          Map<String, Long> findingsByKind, List<Finding> findings, boolean findingsTruncated) {

    /**
     * @param caughtUp     the projection had processed every record on the topic when the audit began
     * @param eventsBehind records it had not processed yet
     */
    public record ProjectionCoverage(boolean caughtUp, long eventsBehind) {
    }
}
