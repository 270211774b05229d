package io.playbill.query.finance;

import io.playbill.query.projection.Jdbc;
import io.playbill.query.web.Page;
import io.playbill.query.web.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/** The price history and the prices in force, from {@code price_change}. */
@Component
class PriceReads {

    private final JdbcTemplate jdbc;

    PriceReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every price set, newest first (by the time it took effect, then the price list's order), or one queue's. */
    Page<PriceChange> history(String queue, PageRequest page) {
        List<Object> args = new ArrayList<>();
        String where = "";
        if (queue != null) {
            where = " where queue = ?";
            args.add(queue);
        }
        Long total = jdbc.queryForObject("select count(*) from price_change" + where, Long.class, args.toArray());
        args.add(page.size());
        args.add(page.offset());
        List<PriceChange> rows = jdbc.query("select queue, price_per_minute, effective_from, set_by from price_change"
                        + where + " order by effective_from desc, seq desc limit ? offset ?",
                (rs, row) -> new PriceChange(rs.getString("queue"), rs.getLong("price_per_minute"),
                        Jdbc.instant(rs, "effective_from"), rs.getString("set_by")), args.toArray());
        return Page.of(rows, page, total == null ? 0 : total, PriceChange.class);
    }

    /** Each priced queue's latest price, by queue name. */
    Page<QueuePrice> current(PageRequest page) {
        Long total = jdbc.queryForObject("select count(distinct queue) from price_change", Long.class);
        List<QueuePrice> rows = jdbc.query("select distinct on (queue) queue, price_per_minute, effective_from"
                        + " from price_change order by queue, effective_from desc, seq desc limit ? offset ?",
                (rs, row) -> new QueuePrice(rs.getString("queue"), rs.getLong("price_per_minute"),
                        Jdbc.instant(rs, "effective_from")), page.size(), page.offset());
        return Page.of(rows, page, total == null ? 0 : total, QueuePrice.class);
    }
}
