package io.playbill.query.finance;

import io.playbill.query.projection.Jdbc;
import io.playbill.query.web.Page;
import io.playbill.query.web.PageRequest;
import io.playbill.query.web.Times;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The finance reports, read from the rollup tables only (primary-key range scans). */
@Component
class FinanceReads {

    private final JdbcTemplate jdbc;

    FinanceReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Buckets whose start lies in the range, by period then queue. */
    Page<RevenueRow> revenue(Granularity granularity, Times.Range range, String queue, PageRequest page) {
        boolean byHour = granularity == Granularity.HOUR;
        String table = byHour ? "queue_hour" : "queue_day";
        String period = byHour ? "hour" : "day";
        List<Object> args = new ArrayList<>();
        if (byHour) {
            args.add(utc(ceil(range.from(), ChronoUnit.HOURS)));
            args.add(utc(ceil(range.to(), ChronoUnit.HOURS)));
        } else {
            args.add(ceilDay(range.from()));
            args.add(ceilDay(range.to()));
        }
        String where = " where " + period + " >= ? and " + period + " < ?";
        if (queue != null) {
            where += " and queue = ?";
            args.add(queue);
        }
        Long total = jdbc.queryForObject("select count(*) from " + table + where, Long.class, args.toArray());
        args.add(page.size());
        args.add(page.offset());
        List<RevenueRow> rows = jdbc.query("select " + period + ", queue, revenue, playtime_seconds, sessions from "
                + table + where + " order by " + period + ", queue limit ? offset ?", (rs, row) -> new RevenueRow(
                byHour ? Jdbc.instant(rs, "hour")
                        : rs.getObject("day", LocalDate.class).atStartOfDay(ZoneOffset.UTC).toInstant(),
                rs.getString("queue"), rs.getLong("revenue"), rs.getLong("playtime_seconds"), rs.getLong("sessions")),
                args.toArray());
        return Page.of(rows, page, total == null ? 0 : total, RevenueRow.class);
    }

    /** Days whose start lies in the range, in order. */
    Page<MoneyDay> money(Times.Range range, PageRequest page) {
        LocalDate from = ceilDay(range.from());
        LocalDate to = ceilDay(range.to());
        Long total = jdbc.queryForObject("select count(*) from money_day where day >= ? and day < ?", Long.class,
                from, to);
        List<MoneyDay> rows = jdbc.query("select * from money_day where day >= ? and day < ? order by day"
                        + " limit ? offset ?", (rs, row) -> new MoneyDay(rs.getObject("day", LocalDate.class),
                        rs.getLong("deposits"), rs.getLong("deposit_amount"), rs.getLong("refunds"),
                        rs.getLong("refund_amount"), rs.getLong("adjustments"), rs.getLong("adjustment_amount")),
                from, to, page.size(), page.offset());
        return Page.of(rows, page, total == null ? 0 : total, MoneyDay.class);
    }

    private static Instant ceil(Instant instant, ChronoUnit unit) {
        Instant floor = instant.truncatedTo(unit);
        return floor.equals(instant) ? floor : floor.plus(1, unit);
    }

    private static LocalDate ceilDay(Instant instant) {
        return LocalDate.ofInstant(ceil(instant, ChronoUnit.DAYS), ZoneOffset.UTC);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Bucket size of the revenue report. */
    enum Granularity {
        DAY, HOUR
    }
}
