package io.playbill.infra.loadgen.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.infra.loadgen.simulate.PlayerOutcome;
import io.playbill.infra.test.PostgresServer;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Holds what the gateway accepted against the ledger's event store, read directly: nothing accepted may be missing
 * ("lost": answered 200, yet not in the ledger), nothing may be applied twice (a deposit credited twice, a session
 * started or ended twice, playtime seconds charged twice).
 */
final class LedgerCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS_PER_QUERY = 500;
    /** Findings listed in the report; all are counted. */
    private static final int LISTED = 20;

    /** One stored event: its type's simple name and its payload. */
    record StoredEvent(String type, JsonNode payload) {
    }

    /** One finding: the user, and what is wrong. */
    record Finding(String userId, String what) {
    }

    /**
     * @param accepted accepted calls checked against the store
     * @param lost     accepted calls missing from the store
     * @param twice    things the store holds twice
     */
    record Result(long accepted, long lost, long twice, List<Finding> lostListed, List<Finding> twiceListed) {

        boolean clean() {
            return lost == 0 && twice == 0;
        }
    }

    /** One user's events, as far as the check needs them. */
    private static final class Account {
        final Map<String, Integer> deposits = new HashMap<>();
        final Map<String, Integer> starts = new HashMap<>();
        final Map<String, Integer> ends = new HashMap<>();
        final Map<String, Set<Long>> deadlines = new HashMap<>();
        final Map<String, Long> billed = new HashMap<>();
        final List<String> chargedTwice = new ArrayList<>();

        void add(String type, JsonNode event) {
            String session = event.path("session").asText();
            switch (type) {
                case "FundsDeposited" -> deposits.merge(event.path("reference").asText(), 1, Integer::sum);
                case "SessionStarted" -> starts.merge(session, 1, Integer::sum);
                case "SessionEnded" -> ends.merge(session, 1, Integer::sum);
                case "SessionRenewed" -> deadlines.computeIfAbsent(session, s -> new HashSet<>())
                        .add(event.path("deadline").asLong());
                case "PlaytimeCharged" -> {
                    // Charges are cumulative: each bills the seconds after the ones billed before it.
                    long before = billed.getOrDefault(session, 0L);
                    long from = event.path("billedSeconds").asLong() - event.path("secondsCharged").asLong();
                    if (from < before) {
                        chargedTwice.add("session " + session + ": seconds " + from + "-" + before
                                + " charged again");
                    }
                    billed.merge(session, event.path("billedSeconds").asLong(), Math::max);
                }
                default -> {
                    // Other events say nothing about accepted calls.
                }
            }
        }
    }

    private final List<Finding> lost = new ArrayList<>();
    private final List<Finding> twice = new ArrayList<>();
    private long accepted;

    /**
     * @param settlementReference the reference of each user's settlement deposit (accepted when the user's
     *                            settled ledger balance is known)
     * @param settledUsers        the users whose settlement deposit was accepted
     */
    static Result check(PostgresServer.Database ledger, List<PlayerOutcome> players, Set<String> settledUsers,
                        Function<String, String> settlementReference) throws SQLException, IOException {
        return judge(players, read(ledger, players.stream().map(PlayerOutcome::userId).toList()), settledUsers,
                settlementReference);
    }

    /** The check itself, on each user's stored events (in sequence order). */
    static Result judge(List<PlayerOutcome> players, Map<String, List<StoredEvent>> store, Set<String> settledUsers,
                        Function<String, String> settlementReference) {
        Map<String, Account> accounts = new HashMap<>();
        store.forEach((user, events) -> {
            Account account = new Account();
            events.forEach(event -> account.add(event.type(), event.payload()));
            accounts.put(user, account);
        });
        LedgerCheck check = new LedgerCheck();
        for (PlayerOutcome player : players) {
            check.player(player, accounts.getOrDefault(player.userId(), new Account()),
                    settledUsers.contains(player.userId()) ? settlementReference.apply(player.userId()) : null);
        }
        return new Result(check.accepted, check.lost.size(), check.twice.size(),
                check.lost.stream().limit(LISTED).toList(), check.twice.stream().limit(LISTED).toList());
    }

    private void player(PlayerOutcome player, Account account, String settlementReference) {
        String user = player.userId();
        String session = player.session();
        PlayerOutcome.Accepted calls = player.accepted();
        if (calls.topUpReference() != null) {
            expect(user, account.deposits.containsKey(calls.topUpReference()), "top-up " + calls.topUpReference());
        }
        if (settlementReference != null) {
            expect(user, account.deposits.containsKey(settlementReference), "settlement " + settlementReference);
        }
        if (calls.started()) {
            expect(user, account.starts.containsKey(session), "start of " + session);
        }
        for (long deadline : calls.deadlines()) {
            expect(user, account.deadlines.getOrDefault(session, Set.of()).contains(deadline),
                    "renew of " + session + " to deadline " + deadline);
        }
        if (calls.stopped()) {
            expect(user, account.ends.containsKey(session), "stop of " + session);
        }
        account.deposits.forEach((reference, count) -> {
            if (count > 1) {
                twice.add(new Finding(user, "deposit " + reference + " credited " + count + " times"));
            }
        });
        account.starts.forEach((started, count) -> {
            if (count > 1) {
                twice.add(new Finding(user, "session " + started + " started " + count + " times"));
            }
        });
        account.ends.forEach((ended, count) -> {
            if (count > 1) {
                twice.add(new Finding(user, "session " + ended + " ended " + count + " times"));
            }
        });
        account.chargedTwice.forEach(what -> twice.add(new Finding(user, what)));
    }

    private void expect(String user, boolean stored, String call) {
        accepted++;
        if (!stored) {
            lost.add(new Finding(user, call + " was accepted but is not in the ledger"));
        }
    }

    private static Map<String, List<StoredEvent>> read(PostgresServer.Database ledger, List<String> users)
            throws SQLException, IOException {
        Map<String, List<StoredEvent>> store = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(ledger.jdbcUrl(), ledger.username(),
                ledger.password());
             PreparedStatement query = connection.prepareStatement("select aggregate_identifier, payload_type,"
                     + " payload from domain_event_entry where aggregate_identifier = any(?)"
                     + " order by aggregate_identifier, sequence_number")) {
            for (int i = 0; i < users.size(); i += USERS_PER_QUERY) {
                Array chunk = connection.createArrayOf("text", users.subList(i, Math.min(users.size(),
                        i + USERS_PER_QUERY)).toArray());
                query.setArray(1, chunk);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        String type = rows.getString("payload_type");
                        store.computeIfAbsent(rows.getString("aggregate_identifier"), u -> new ArrayList<>())
                                .add(new StoredEvent(type.substring(type.lastIndexOf('.') + 1),
                                        JSON.readTree(rows.getBytes("payload"))));
                    }
                }
                chunk.free();
            }
        }
        return store;
    }
}
