package io.playbill.infra.loadgen.bench;

import io.playbill.infra.loadgen.client.ApiResponse;
import io.playbill.infra.loadgen.client.GatewayClient;
import io.playbill.infra.loadgen.client.Jwts;
import io.playbill.infra.standalone.DevCredentials;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * Game sessions ready to be renewed, for the renew ramp: each on its own user (one user's requests are ordered
 * on one partition, so spreading users spreads the ledger's work), topped up generously, authorized, started and
 * past its first renew. Each session remembers the last deadline it was granted, like the SDK.
 */
final class RenewSessions {

    /** Enough for every session to play far longer than any bench run at any sane price. */
    private static final long TOP_UP = 1_000_000_000L;
    private static final int SETUP_CONCURRENCY = 32;

    private final List<String> bearers = new ArrayList<>();
    private final List<String> sessions = new ArrayList<>();
    private AtomicLongArray deadlines;
    private String firstFailure;

    /** Prepares up to {@code count} sessions; those whose set-up fails are left out. */
    static RenewSessions prepare(GatewayClient gateway, String admin, String runId, int count) {
        RenewSessions ready = new RenewSessions();
        List<Long> deadlines = new ArrayList<>();
        for (int from = 0; from < count; from += SETUP_CONCURRENCY) {
            List<CompletableFuture<String>> batch = new ArrayList<>();
            List<String> bearers = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + SETUP_CONCURRENCY); i++) {
                String user = "lgb-" + runId + "-" + i;
                String bearer = DevCredentials.userToken(user, List.of(), Duration.ofHours(2));
                String session = "lgb" + runId + "s" + i;
                bearers.add(bearer);
                batch.add(gateway.deposit(admin, user, TOP_UP, "lgb-" + runId + "-" + i)
                        .thenCompose(a -> step(a, () -> gateway.authToken(bearer, session)))
                        .thenCompose(a -> step(a, () -> gateway.start(bearer, session)))
                        .thenCompose(a -> step(a, () -> gateway.renew(bearer, session, 0)))
                        .thenApply(a -> a.ok() ? a.token() + " " + session : "FAILED " + a.failureReason()));
            }
            for (int i = 0; i < batch.size(); i++) {
                String result = batch.get(i).join();
                if (result.startsWith("FAILED ")) {
                    ready.firstFailure = ready.firstFailure == null ? result.substring(7) : ready.firstFailure;
                    continue;
                }
                String[] tokenAndSession = result.split(" ");
                ready.bearers.add(bearers.get(i));
                ready.sessions.add(tokenAndSession[1]);
                deadlines.add(Jwts.claims(tokenAndSession[0]).path("deadline").asLong());
            }
        }
        ready.deadlines = new AtomicLongArray(deadlines.stream().mapToLong(Long::longValue).toArray());
        return ready;
    }

    int size() {
        return sessions.size();
    }

    /** Why the first session could not be prepared, or null. */
    String firstFailure() {
        return firstFailure;
    }

    /** Sends the SDK's renew for session {@code index} with the deadline it holds, and keeps the new one. */
    CompletableFuture<ApiResponse> renew(GatewayClient gateway, int index) {
        return gateway.renew(bearers.get(index), sessions.get(index), deadlines.get(index)).thenApply(answer -> {
            if (answer.ok()) {
                long granted = Jwts.claims(answer.token()).path("deadline").asLong();
                deadlines.accumulateAndGet(index, granted, Math::max);
            }
            return answer;
        });
    }

    private static CompletableFuture<ApiResponse> step(ApiResponse previous,
                                                       Supplier<CompletableFuture<ApiResponse>> next) {
        return previous.ok() ? next.get() : CompletableFuture.completedFuture(previous);
    }
}
