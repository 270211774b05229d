package io.playbill.query.audit;

import io.playbill.query.audit.rules.Findings;
import io.playbill.query.projection.Projection;
import io.playbill.query.readmodel.FinanceBuckets;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The projections' totals against the replayed accounts: for all accounts the finance rollups, the liability and
 * the account count (only on a quiet ledger, every projection caught up); for one account its statement's balance
 * as of an instant.
 */
final class TotalsCheck {

    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

    private final AuditRun.Context context;
    private final Findings findings;
    private final List<String> notes;

    TotalsCheck(AuditRun.Context context, Findings findings, List<String> notes) {
        this.context = context;
        this.findings = findings;
        this.notes = notes;
    }

    /**
     * @param quiet no event was published during the audit, and store and topic hold the same events
     * @param asOf  the instant the balances are taken at (the changes of the events by then), or null for all events
     */
    void allAccounts(boolean quiet, Map<String, AuditReport.ProjectionCoverage> coverage, Instant asOf,
                     FinanceBuckets rollups, Sums sums) {
        boolean allCaughtUp = coverage.values().stream().allMatch(AuditReport.ProjectionCoverage::caughtUp);
        if (!quiet || !allCaughtUp) {
            notes.add("Finance rollups, liability and account count were not compared: they need a quiet ledger"
                    + " (no event published during the audit, store and topic equal) and every projection caught up");
            return;
        }
        if (asOf == null) {
            compareRollups(rollups);
            long liability = context.liability().asOf(END_OF_TIME);
            if (liability != sums.recordedBalance()) {
                findings.mismatch("liability_mismatch", null, "statement", null, "The liability from the statement"
                        + " rollups is " + liability + "; the accounts' balances add up to " + sums.recordedBalance());
            }
            Long rows = context.jdbc().queryForObject("select count(*) from account", Long.class);
            if (rows != null && rows != sums.accounts()) {
                findings.mismatch("projection_mismatch", null, "accounts", null, "The account projection has " + rows
                        + " rows; the event store has " + sums.accounts() + " accounts");
            }
        } else {
            long liability = context.liability().asOf(asOf);
            if (liability != sums.balance()) {
                findings.mismatch("liability_mismatch", null, "statement", null, "The liability as of " + asOf
                        + " from the statement rollups is " + liability + "; the accounts' events by then give "
                        + sums.balance());
            }
        }
    }

    /** One account's balance as of T in its statement must be the sum of the changes of its events by T. */
    void statementAsOf(String user, Instant asOf, Map<String, AuditReport.ProjectionCoverage> coverage,
                       long balance) {
        if (!coverage.get(Projection.STATEMENT.id()).caughtUp()) {
            notes.add("The statement was not compared as of " + asOf + ": the projection has not caught up");
            return;
        }
        // The balance changes of the lines up to T, as the liability adds them: the balance after the latest line by
        // T is another figure when the ledger decided the lines in another order than they happened.
        Long changes = context.jdbc().queryForObject("select coalesce(sum(balance_change), 0) from statement_line"
                        + " where user_id = ? and occurred_at <= ?", Long.class, user,
                OffsetDateTime.ofInstant(asOf.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        long statement = changes == null ? 0 : changes;
        if (statement != balance) {
            findings.mismatch("projection_mismatch", user, "statement", null, "The statement's balance as of " + asOf
                    + " is " + statement + "; the events up to then give " + balance);
        }
    }

    private void compareRollups(FinanceBuckets rollups) {
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

    /**
     * What the replayed accounts add up to.
     *
     * @param balance         Σ of the balances the rules give
     * @param recordedBalance Σ of the balances the accounts recorded last
     */
    record Sums(long accounts, long balance, long recordedBalance) {
    }
}
