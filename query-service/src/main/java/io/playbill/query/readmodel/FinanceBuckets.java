package io.playbill.query.readmodel;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The finance rollups, in UTC buckets by each event's own time (the gateway's receive time, so a replay files an
 * event in the same bucket): per queue and hour/day the {@link Usage}, per day the {@link Movements}. The finance
 * projection adds a batch's buckets to its tables; the audit recomputes them from the ledger's events and compares
 * them with the tables, read into a second instance. Keys are sorted, so a batch writes its rows in key order.
 */
public final class FinanceBuckets {

    private final Map<QueueHour, Usage> hours =
            new TreeMap<>(Comparator.comparing(QueueHour::hour).thenComparing(QueueHour::queue));
    private final Map<QueueDay, Usage> days =
            new TreeMap<>(Comparator.comparing(QueueDay::day).thenComparing(QueueDay::queue));
    private final Map<LocalDate, Movements> money = new TreeMap<>();

    /** Playtime charged in {@code queue}: revenue and billed seconds. */
    public void charged(String queue, long atMillis, long amount, long seconds) {
        use(queue, atMillis, new Usage(amount, seconds, 0));
    }

    public void sessionStarted(String queue, long atMillis) {
        use(queue, atMillis, new Usage(0, 0, 1));
    }

    public void deposited(long atMillis, long amount) {
        move(atMillis, new Movements(1, amount, 0, 0, 0, 0));
    }

    public void refunded(long atMillis, long amount) {
        move(atMillis, new Movements(0, 0, 1, amount, 0, 0));
    }

    public void adjusted(long atMillis, long amount) {
        move(atMillis, new Movements(0, 0, 0, 0, 1, amount));
    }

    /** Adds a stored row of {@code queue_hour}. */
    public void addHour(Instant hour, String queue, Usage usage) {
        hours.merge(new QueueHour(hour, queue), usage, Usage::plus);
    }

    /** Adds a stored row of {@code queue_day}. */
    public void addDay(LocalDate day, String queue, Usage usage) {
        days.merge(new QueueDay(day, queue), usage, Usage::plus);
    }

    /** Adds a stored row of {@code money_day}. */
    public void addMoney(LocalDate day, Movements movements) {
        money.merge(day, movements, Movements::plus);
    }

    public Map<QueueHour, Usage> hours() {
        return Collections.unmodifiableMap(hours);
    }

    public Map<QueueDay, Usage> days() {
        return Collections.unmodifiableMap(days);
    }

    public Map<LocalDate, Movements> money() {
        return Collections.unmodifiableMap(money);
    }

    private void use(String queue, long atMillis, Usage usage) {
        Instant at = Instant.ofEpochMilli(atMillis);
        addHour(at.truncatedTo(ChronoUnit.HOURS), queue, usage);
        addDay(LocalDate.ofInstant(at, ZoneOffset.UTC), queue, usage);
    }

    private void move(long atMillis, Movements movements) {
        addMoney(LocalDate.ofInstant(Instant.ofEpochMilli(atMillis), ZoneOffset.UTC), movements);
    }

    /** The sums of one bucket. */
    public sealed interface Sums permits Usage, Movements {

        /** Whether nothing was added: a stored row of zeros equals no row at all. */
        boolean isZero();
    }

    /** An hour of one queue, the hour as its first instant. */
    public record QueueHour(Instant hour, String queue) {
    }

    /** A UTC day of one queue. */
    public record QueueDay(LocalDate day, String queue) {
    }

    /** A queue's use in a bucket: revenue (Σ charged amounts, minor units), billed seconds, sessions started. */
    public record Usage(long revenue, long playtimeSeconds, long sessions) implements Sums {

        Usage plus(Usage other) {
            return new Usage(revenue + other.revenue, playtimeSeconds + other.playtimeSeconds,
                    sessions + other.sessions);
        }

        @Override
        public boolean isZero() {
            return revenue == 0 && playtimeSeconds == 0 && sessions == 0;
        }
    }

    /** A day's money movements: how many of each kind and their amounts, minor units. */
    public record Movements(long deposits, long depositAmount, long refunds, long refundAmount, long adjustments,
                            long adjustmentAmount) implements Sums {

        Movements plus(Movements other) {
            return new Movements(deposits + other.deposits, depositAmount + other.depositAmount,
                    refunds + other.refunds, refundAmount + other.refundAmount, adjustments + other.adjustments,
                    adjustmentAmount + other.adjustmentAmount);
        }

        @Override
        public boolean isZero() {
            return deposits == 0 && depositAmount == 0 && refunds == 0 && refundAmount == 0 && adjustments == 0
                    && adjustmentAmount == 0;
        }
    }
}
