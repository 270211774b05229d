package io.playbill.infra.loadgen.simulate;

import io.playbill.infra.loadgen.client.ApiResponse;
import io.playbill.infra.loadgen.client.GatewayClient;
import io.playbill.infra.loadgen.client.QueryClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Reads each player's final balance from query-service once its projection has caught up with the ledger.
 *
 * <p>"Caught up" is made exact instead of guessed: after the players stop, each gets a {@value #MARKER}-unit
 * deposit with its own reference. The ledger's reply carries the balance right after it — the ledger's truth,
 * including every charge — and the read model has caught up for that user once it shows the same balance
 * (one user's events are projected in order).
 */
public final class LedgerSettlement {

    static final long MARKER = 1;
    /** Balance reads in flight at once. */
    private static final int CONCURRENCY = 64;
    /**
     * Marker deposits in flight at once: admin calls share the gateway's headroom of threads with its probes and the
     * console (playbill.concurrency.headroom, 20 by default), and a burst beyond it is answered 503 busy. The
     * simulation's retries are meant to count what players met, not the settlement's own burst.
     */
    private static final int MARKER_CONCURRENCY = 16;
    private static final long POLL_MILLIS = 250;

    /**
     * @param ledgerBalance    the ledger's balance after the marker
     * @param projectedBalance query-service's balance once it matched, else the last one seen (-1: none)
     * @param problem          why the balance could not be settled, or null
     */
    public record Settled(String userId, long ledgerBalance, long projectedBalance, String problem) {
    }

    private final GatewayClient gateway;
    private final QueryClient query;
    private final String adminBearer;
    private final String runId;

    LedgerSettlement(GatewayClient gateway, QueryClient query, String adminBearer, String runId) {
        this.gateway = gateway;
        this.query = query;
        this.adminBearer = adminBearer;
        this.runId = runId;
    }

    Map<String, Settled> settle(List<String> users, Duration timeout) throws InterruptedException {
        Map<String, Settled> settled = new LinkedHashMap<>();
        Map<String, Long> ledger = new HashMap<>();
        for (List<String> chunk : chunks(users, MARKER_CONCURRENCY)) {
            List<CompletableFuture<ApiResponse>> markers = new ArrayList<>();
            for (String user : chunk) {
                markers.add(gateway.deposit(adminBearer, user, MARKER, reference(runId, user)));
            }
            for (int i = 0; i < chunk.size(); i++) {
                ApiResponse answer = markers.get(i).join();
                if (answer.ok()) {
                    ledger.put(chunk.get(i), answer.longField("balance"));
                } else {
                    settled.put(chunk.get(i), new Settled(chunk.get(i), -1, -1,
                            "the settlement deposit failed: " + answer.failureReason()));
                }
            }
        }
        Map<String, Long> lastSeen = new HashMap<>();
        List<String> pending = new ArrayList<>(ledger.keySet());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            List<String> stillPending = new ArrayList<>();
            for (List<String> chunk : chunks(pending, CONCURRENCY)) {
                List<CompletableFuture<OptionalLong>> reads = chunk.stream().map(query::balance).toList();
                for (int i = 0; i < chunk.size(); i++) {
                    String user = chunk.get(i);
                    OptionalLong projected = read(reads.get(i));
                    projected.ifPresent(b -> lastSeen.put(user, b));
                    if (projected.isPresent() && projected.getAsLong() == ledger.get(user)) {
                        settled.put(user, new Settled(user, ledger.get(user), projected.getAsLong(), null));
                    } else {
                        stillPending.add(user);
                    }
                }
            }
            pending = stillPending;
            if (!pending.isEmpty()) {
                Thread.sleep(POLL_MILLIS);
            }
        }
        for (String user : pending) {
            long seen = lastSeen.getOrDefault(user, -1L);
            settled.put(user, new Settled(user, ledger.get(user), seen, "query-service did not reach the ledger's "
                    + "balance " + ledger.get(user) + " within " + timeout.toSeconds() + " s (last seen " + seen + ")"));
        }
        return settled;
    }

    /** The settlement deposit's reference: one per run and user. */
    static String reference(String runId, String user) {
        return "lg-settle-" + runId + "-" + user;
    }

    private static OptionalLong read(CompletableFuture<OptionalLong> balance) {
        try {
            return balance.join();
        } catch (CompletionException e) {
            return OptionalLong.empty();
        }
    }

    private static List<List<String>> chunks(List<String> users, int size) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < users.size(); i += size) {
            chunks.add(users.subList(i, Math.min(users.size(), i + size)));
        }
        return chunks;
    }
}
