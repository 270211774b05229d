package io.playbill.query.finance;

import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.Projector;
import io.playbill.query.projection.TableProjector;
import io.playbill.query.readmodel.FinanceBuckets;
import io.playbill.query.readmodel.FinanceModel;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores the {@link FinanceModel}: each batch's {@link FinanceBuckets} added to {@code queue_hour},
 * {@code queue_day} and {@code money_day}, each user's last applied event in {@code finance_position}; and, with
 * the {@link PriceProjector}, the price history. Reports read only these, never the lines.
 */
@Component
class FinanceProjector extends TableProjector<String, FinanceModel.Position, FinanceModel> {

    private final PriceProjector prices;

    FinanceProjector(JdbcTemplate jdbc) {
        super(Projection.FINANCE, jdbc, FinanceModel::new);
        this.prices = new PriceProjector(jdbc);
    }

    @Override
    public Projector create(ProjectionTables tables) {
        Projector rollups = super.create(tables);
        return events -> {
            rollups.apply(events);
            prices.apply(tables, events);
        };
    }

    @Override
    protected Map<String, FinanceModel.Position> load(ProjectionTables tables, Set<String> users) {
        Map<String, FinanceModel.Position> positions = new HashMap<>();
        jdbc.query("select user_id, last_sequence from " + tables.of("finance_position") + " where user_id = any(?)",
                ps -> Jdbc.setTextArray(ps, 1, users), rs -> {
                    positions.put(rs.getString(1), new FinanceModel.Position(rs.getString(1), rs.getLong(2)));
                });
        return positions;
    }

    @Override
    protected void write(ProjectionTables tables, List<FinanceModel.Position> changed, FinanceModel model) {
        jdbc.batchUpdate("insert into " + tables.of("finance_position") + " (user_id, last_sequence) values (?, ?)"
                + " on conflict (user_id) do update set last_sequence = excluded.last_sequence",
                changed, changed.size(), (ps, p) -> {
                    ps.setString(1, p.userId());
                    ps.setLong(2, p.lastSequence());
                });
        FinanceBuckets buckets = model.buckets();
        List<Map.Entry<FinanceBuckets.QueueHour, FinanceBuckets.Usage>> hours =
                new ArrayList<>(buckets.hours().entrySet());
        jdbc.batchUpdate(addUsage(tables.of("queue_hour"), "hour"), hours, hours.size(), (ps, e) -> {
            Jdbc.setInstant(ps, 1, e.getKey().hour());
            ps.setString(2, e.getKey().queue());
            setUsage(ps, e.getValue());
        });
        List<Map.Entry<FinanceBuckets.QueueDay, FinanceBuckets.Usage>> days =
                new ArrayList<>(buckets.days().entrySet());
        jdbc.batchUpdate(addUsage(tables.of("queue_day"), "day"), days, days.size(), (ps, e) -> {
            Jdbc.setDate(ps, 1, e.getKey().day());
            ps.setString(2, e.getKey().queue());
            setUsage(ps, e.getValue());
        });
        String money = tables.of("money_day");
        List<Map.Entry<LocalDate, FinanceBuckets.Movements>> moneyDays = new ArrayList<>(buckets.money().entrySet());
        jdbc.batchUpdate("insert into " + money + " (day, deposits, deposit_amount, refunds, refund_amount,"
                + " adjustments, adjustment_amount) values (?, ?, ?, ?, ?, ?, ?) on conflict (day) do update set"
                + " deposits = " + money + ".deposits + excluded.deposits,"
                + " deposit_amount = " + money + ".deposit_amount + excluded.deposit_amount,"
                + " refunds = " + money + ".refunds + excluded.refunds,"
                + " refund_amount = " + money + ".refund_amount + excluded.refund_amount,"
                + " adjustments = " + money + ".adjustments + excluded.adjustments,"
                + " adjustment_amount = " + money + ".adjustment_amount + excluded.adjustment_amount",
                moneyDays, moneyDays.size(), (ps, e) -> {
                    FinanceBuckets.Movements m = e.getValue();
                    Jdbc.setDate(ps, 1, e.getKey());
                    ps.setLong(2, m.deposits());
                    ps.setLong(3, m.depositAmount());
                    ps.setLong(4, m.refunds());
                    ps.setLong(5, m.refundAmount());
                    ps.setLong(6, m.adjustments());
                    ps.setLong(7, m.adjustmentAmount());
                });
    }

    /** Adds a (bucket, queue) row of usage to {@code table}, whose bucket column is {@code bucket}. */
    private static String addUsage(String table, String bucket) {
        return "insert into " + table + " (" + bucket + ", queue, revenue, playtime_seconds, sessions)"
                + " values (?, ?, ?, ?, ?) on conflict (" + bucket + ", queue) do update set"
                + " revenue = " + table + ".revenue + excluded.revenue,"
                + " playtime_seconds = " + table + ".playtime_seconds + excluded.playtime_seconds,"
                + " sessions = " + table + ".sessions + excluded.sessions";
    }

    private static void setUsage(PreparedStatement ps, FinanceBuckets.Usage usage) throws SQLException {
        ps.setLong(3, usage.revenue());
        ps.setLong(4, usage.playtimeSeconds());
        ps.setLong(5, usage.sessions());
    }
}
