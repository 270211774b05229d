package io.playbill.query.benchmark;

import io.playbill.query.support.Api;
import io.playbill.query.support.QueryServiceTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reports over 10 million statement lines (not part of the test suite; run with {@code mvn -o -pl
 * query-service verify -Dtest=ReportsAtScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false}): fills the
 * statement with 10 M lines of 100 000 users over 2029 and derives the rollups from them, then records the plan
 * ({@code EXPLAIN (ANALYZE, BUFFERS)}) of every report query and the latency of every report through the API.
 * Output: stdout and {@code target/benchmarks/reports-at-scale.txt}.
 */
class ReportsAtScaleBenchmark extends QueryServiceTest {

    private static final int LINES = 10_000_000;
    private final List<String> out = new ArrayList<>();

    @Test
    void reportsAnswerFromRollups() throws Exception {
        long fill = System.nanoTime();
        fill();
        line("Filled %,d statement lines and their rollups in %.0f s", LINES, (System.nanoTime() - fill) / 1e9);
        line("Table sizes: %s", jdbc.queryForList("select relname || ' ' || pg_size_pretty(pg_total_relation_size("
                + "oid)) from pg_class where relname in ('statement_line', 'liability_minute', 'liability_day',"
                + " 'queue_hour', 'queue_day', 'money_day') order by relname", String.class));

        explain("Revenue by day over a year, one page",
                "select day, queue, revenue, playtime_seconds, sessions from queue_day where day >= '2029-01-01'"
                        + " and day < '2030-01-01' order by day, queue limit 500 offset 0");
        explain("Its total", "select count(*) from queue_day where day >= '2029-01-01' and day < '2030-01-01'");
        explain("Revenue by hour over a week for one queue",
                "select hour, queue, revenue, playtime_seconds, sessions from queue_hour where hour >= '2029-06-01'"
                        + " and hour < '2029-06-08' and queue = 'q3' order by hour, queue limit 500 offset 0");
        explain("Deposits by day over a year", "select * from money_day where day >= '2029-01-01' and day < "
                + "'2030-01-01' order by day limit 500 offset 0");
        explain("Liability as of 2029-09-17T13:45:30.5Z", """
                select (select coalesce(sum(balance_change), 0) from liability_day where day < '2029-09-17')
                     + (select coalesce(sum(balance_change), 0) from liability_minute
                        where minute >= '2029-09-17T00:00:00Z' and minute < '2029-09-17T13:45:00Z')
                     + (select coalesce(sum(balance_change), 0) from statement_line
                        where occurred_at >= '2029-09-17T13:45:00Z' and occurred_at <= '2029-09-17T13:45:30.5Z')""");
        explain("One user's statement for a month", "select * from statement_line where user_id = 'scale-4242'"
                + " and occurred_at >= '2029-03-01' and occurred_at < '2029-04-01' order by occurred_at, seq"
                + " limit 50 offset 0");

        line("Latency through the API (warm, median of 5):");
        time("/finance/revenue?granularity=day&from=2029-01-01&to=2030-01-01&size=500");
        time("/finance/revenue?granularity=hour&from=2029-06-01&to=2029-06-08&queue=q3&size=500");
        time("/finance/deposits?from=2029-01-01&to=2030-01-01&size=500");
        time("/finance/liability?asOf=2029-09-17T13:45:30.5Z");
        time("/finance/liability?asOf=2030-01-01T00:00:00Z");
        time("/finance/users/scale-4242/statement?from=2029-03-01&to=2029-04-01");
        Path file = Path.of("target", "benchmarks", "reports-at-scale.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, out);
    }

    /**
     * 10 M lines: user i's k-th line is at 2029-01-01 + (k·100 000 + i) · 3.15 s, every fifth a deposit of 500, the
     * others charges of 100 on queue q0..q9; rollups are the lines' sums, as the projections would write them.
     */
    private void fill() {
        jdbc.execute("set synchronous_commit = off");
        for (int chunk = 0; chunk < 10; chunk++) {
            jdbc.update("""
                    insert into statement_line (event_id, user_id, seq, occurred_at, kind, amount, balance_after,
                        balance_change, reference, reason, session_id, queue, seconds)
                    select 'e' || n, 'scale-' || (n % 100000), n / 100000,
                           timestamptz '2029-01-01 00:00:00Z' + (n * interval '3.15 second'),
                           case when (n / 100000) % 5 = 0 then 'deposit' else 'charge' end,
                           case when (n / 100000) % 5 = 0 then 500 else -100 end,
                           100000 + n / 100000, case when (n / 100000) % 5 = 0 then 500 else -100 end,
                           null, null, 's' || (n / 500000), 'q' || (n % 10), 100
                    from generate_series(?::bigint, ?::bigint) as n
                    """, (long) chunk * LINES / 10, (long) (chunk + 1) * LINES / 10 - 1);
        }
        jdbc.update("insert into liability_minute select date_trunc('minute', occurred_at), sum(balance_change)"
                + " from statement_line where user_id like 'scale-%' group by 1");
        jdbc.update("insert into liability_day select (occurred_at at time zone 'UTC')::date, sum(balance_change)"
                + " from statement_line where user_id like 'scale-%' group by 1");
        jdbc.update("insert into queue_hour select date_trunc('hour', occurred_at), queue, -sum(amount), sum(seconds),"
                + " count(distinct session_id) from statement_line where kind = 'charge' group by 1, 2");
        jdbc.update("insert into queue_day select (occurred_at at time zone 'UTC')::date, queue, -sum(amount),"
                + " sum(seconds), count(distinct session_id) from statement_line where kind = 'charge' group by 1, 2");
        jdbc.update("insert into money_day select (occurred_at at time zone 'UTC')::date, count(*), sum(amount), 0, 0,"
                + " 0, 0 from statement_line where kind = 'deposit' group by 1");
        jdbc.execute("analyze");
    }

    private void explain(String title, String sql) {
        line("%n-- %s%n%s", title, sql);
        jdbc.queryForList("explain (analyze, buffers, costs off) " + sql, String.class).forEach(this::line);
    }

    private void time(String path) {
        List<Long> micros = new ArrayList<>();
        Api.Response response = null;
        for (int i = 0; i < 6; i++) {
            long start = System.nanoTime();
            response = api().get(path, "fin", "finance");
            if (i > 0) {
                micros.add((System.nanoTime() - start) / 1000);
            }
        }
        micros.sort(Long::compare);
        line("  %6.1f ms  %s  (HTTP %d, %,d bytes)", micros.get(2) / 1000.0, path, response.status(),
                response.body().length());
    }

    private void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        System.out.println(text);
        out.add(text);
    }
}
