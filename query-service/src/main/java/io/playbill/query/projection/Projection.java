package io.playbill.query.projection;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The read models. One live processor ({@link #LIVE_PROCESSOR}) writes all of them in the same transactions, so
 * they always agree with each other and the topic is read and decoded once. A replay rebuilds one of them into
 * shadow copies of exactly its tables.
 */
public enum Projection {

    ACCOUNTS("accounts", List.of("account", "account_queue")),
    SESSIONS("sessions", List.of("game_session")),
    STATEMENT("statement", List.of("statement_line", "statement_account", "liability_minute", "liability_day")),
    FINANCE("finance", List.of("queue_hour", "queue_day", "money_day", "finance_position", "price_change"));

    /** The processor (and token) that keeps every projection up to date. */
    public static final String LIVE_PROCESSOR = "projections";

    private final String id;
    private final List<String> tables;

    Projection(String id, List<String> tables) {
        this.id = id;
        this.tables = tables;
    }

    /** The name in URLs. */
    public String id() {
        return id;
    }

    public List<String> tables() {
        return tables;
    }

    /** Every projection, in declaration order. */
    public static Stream<Projection> stream() {
        return Arrays.stream(values());
    }

    public static Optional<Projection> byId(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
    }
}
