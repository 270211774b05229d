package io.playbill.infra.standalone;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives the SDK's game calls through a freshly started platform before {@code ./playbill up} reports it up, so
 * that the first real players do not wait while the service JVMs load and compile the classes of that path
 * (decision 058). Every call is one the ledger refuses and that therefore stores nothing: made-up players with no
 * account ask for an authToken (no balance; left out unless the queue's price makes that a refusal), then start,
 * renew and stop a session that was never theirs. Each call
 * still crosses the gateway's HTTP stack and JWT check, the requests topic, the ledger's intake and account load,
 * the replies topic and the gateway's reply consumer.
 */
final class GamePathWarmUp {

    /** Answers the warm-up expects: the ledger's refusals of made-up players. */
    static final Map<String, Integer> EXPECTED_REFUSALS = Map.of(
            "insufficient_balance", 402,
            "session_not_found", 403);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Answers other than the expected refusals after which no new player starts: a gateway that refuses them all. */
    static final int GIVE_UP_AFTER = 100;
    static final long MIN_PRICE_PER_MINUTE = 60;
    private static final Duration PRICE_WAIT = Duration.ofSeconds(10);
    private static final String NO_PRICE = " has no price";
    private static final String UNREADABLE = "the queue's price could not be read";

    private final URI gateway;
    private final String queue;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    GamePathWarmUp(String gatewayUrl, String queue) {
        this.gateway = URI.create(gatewayUrl.endsWith("/") ? gatewayUrl : gatewayUrl + "/");
        this.queue = queue;
    }

    /**
     * One warm-up's id: its players and sessions carry it, so that they are no real player's or session's (session
     * ids are unique across users) and no earlier warm-up's.
     */
    static String newRunId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The made-up player {@code index} of warm-up {@code runId}. */
    static String player(String runId, int index) {
        return "playbill-warm-up-" + runId + "-" + index;
    }

    private static String session(String runId, int index) {
        return "warmup" + runId + "n" + index;
    }

    /**
     * {@code players} made-up players, {@code concurrency} at a time, each making an authToken (when {@link
     * #authTokenLeftOut} finds it safe), a start, {@code renews} renews and a stop call. It stops starting new
     * players once {@code limit} has passed or {@value #GIVE_UP_AFTER} answers were not the expected refusals.
     */
    Result run(String runId, int players, int renews, int concurrency, Duration limit) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        String authTokenLeftOut = authTokenLeftOut();
        Calls calls = new Calls(authTokenLeftOut == null);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger played = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "warm-up");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int w = 0; w < concurrency; w++) {
                workers.execute(() -> {
                    while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()
                            && calls.unexpected() < GIVE_UP_AFTER) {
                        int player = next.getAndIncrement();
                        if (player >= players) {
                            return;
                        }
                        if (play(player(runId, player), session(runId, player), renews, calls)) {
                            played.incrementAndGet();
                        }
                    }
                });
            }
        } finally {
            workers.shutdown();
        }
        try {
            if (!workers.awaitTermination(limit.plus(CALL_TIMEOUT.multipliedBy(renews + 3L)).toMillis(),
                    TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            throw e;
        }
        return new Result(played.get(), calls.refused.sum(), calls.others(), authTokenLeftOut,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Why authToken is left out of the warm-up, or null when it is in. authToken is the one warm-up call whose
     * refusal depends on a setting: a player without money is refused only while one billing cycle of the queue
     * costs something, and an operator may make a queue free. The rule is conservative, as the launcher does not know
     * the ledger's cycle: at a price of at least 60 a minute, one unit a second, any cycle of a second or more costs
     * at least one unit in either billing mode, so it is refused.
     */
    String authTokenLeftOut() throws InterruptedException {
        // A price set just before (the dev price seeded on a data directory's first start) reaches query-service's
        // read model a moment later, and a read may meet a busy answer.
        long giveUp = System.nanoTime() + PRICE_WAIT.toNanos();
        String leftOut = priceTooLowOrUnknown();
        while (leftOut != null && (leftOut.endsWith(NO_PRICE) || leftOut.startsWith(UNREADABLE))
                && System.nanoTime() < giveUp) {
            Thread.sleep(200);
            leftOut = priceTooLowOrUnknown();
        }
        return leftOut;
    }

    private String priceTooLowOrUnknown() throws InterruptedException {
        String bearer = "Bearer " + DevCredentials.userToken("playbill-warm-up", List.of(), Duration.ofMinutes(1));
        try {
            for (int page = 0; page < 20; page++) {
                HttpResponse<String> answer = http.send(request("api/me/prices?size=100&page=" + page, bearer)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    return UNREADABLE + " (HTTP " + answer.statusCode() + ")";
                }
                JsonNode prices = AdminApi.JSON.readTree(answer.body());
                for (JsonNode price : prices.path("items")) {
                    if (queue.equals(price.path("queue").asText())) {
                        long perMinute = price.path("pricePerMinute").asLong();
                        return perMinute >= MIN_PRICE_PER_MINUTE ? null
                                : "queue " + queue + " costs " + perMinute + " a minute, under " + MIN_PRICE_PER_MINUTE;
                    }
                }
                if ((page + 1L) * prices.path("size").asLong(100) >= prices.path("total").asLong()) {
                    break;
                }
            }
            return "queue " + queue + NO_PRICE;
        } catch (IOException e) {
            return UNREADABLE + " (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** One player's calls; false when it was cut short by an interruption. */
    private boolean play(String user, String session, int renews, Calls calls) {
        String bearer = "Bearer " + DevCredentials.userToken(user, List.of(), Duration.ofMinutes(10));
        String json = "{\"session\":\"" + session + "\",\"queue\":\"" + queue + "\",\"lastDeadline\":1}";
        if (calls.authTokens) {
            String answer = send(request("api/game/authToken?session=" + session + "&queue=" + queue, bearer).GET());
            calls.count(answer);
            if (answer != null && answer.startsWith("HTTP 2")) {
                // Served: the queue was made free since its price was read. No more players get an authToken, and
                // this one only stops its session, which ends it without a charge.
                calls.authTokens = false;
                calls.count(send(post("api/game/stop", bearer, json)));
                return true;
            }
        }
        List<HttpRequest.Builder> rest = new ArrayList<>();
        rest.add(post("api/game/start", bearer, json));
        for (int i = 0; i < renews; i++) {
            rest.add(post("api/game/renew", bearer, json));
        }
        rest.add(post("api/game/stop", bearer, json));
        for (HttpRequest.Builder call : rest) {
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            calls.count(send(call));
        }
        return true;
    }

    /** The answers of one warm-up's calls, from all its threads. */
    private static final class Calls {

        final LongAdder refused = new LongAdder();
        final Map<String, LongAdder> unexpected = new ConcurrentHashMap<>();
        volatile boolean authTokens;

        Calls(boolean authTokens) {
            this.authTokens = authTokens;
        }

        void count(String answer) {
            if (answer == null) {
                refused.increment();
            } else {
                unexpected.computeIfAbsent(answer, key -> new LongAdder()).increment();
            }
        }

        long unexpected() {
            return unexpected.values().stream().mapToLong(LongAdder::sum).sum();
        }

        Map<String, Long> others() {
            Map<String, Long> others = new TreeMap<>();
            unexpected.forEach((answer, count) -> others.put(answer, count.sum()));
            return others;
        }
    }

    private HttpRequest.Builder request(String path, String bearer) {
        return HttpRequest.newBuilder(gateway.resolve(path)).timeout(CALL_TIMEOUT)
                .header("Authorization", bearer).header("Accept", "application/json");
    }

    private HttpRequest.Builder post(String path, String bearer, String json) {
        return request(path, bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    /** Null when the ledger refused the call as expected; otherwise what came instead ("HTTP 503 ...", "timeout"). */
    private String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return judged(response.statusCode(), response.body());
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The {@code error.code} of the platform's JSON error body, or "" when the body is none. */
    private static String errorCode(String body) {
        try {
            return AdminApi.JSON.readTree(body).path("error").path("code").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    /** Null for one of the {@link #EXPECTED_REFUSALS} (its code with its status), else the status and any code. */
    static String judged(int status, String body) {
        String errorCode = errorCode(body);
        Integer expected = EXPECTED_REFUSALS.get(errorCode);
        return expected != null && expected == status ? null
                : "HTTP " + status + (errorCode.isEmpty() ? "" : " " + errorCode);
    }

    /**
     * What a warm-up did: players played, calls refused as expected, every other answer with its count (a platform
     * that answered anything else is up but not warmed as meant; the launcher says so), and why authToken was left
     * out (null: it was not).
     */
    record Result(int players, long refused, Map<String, Long> unexpected, String authTokenLeftOut, Duration took) {

        long calls() {
            return refused + unexpected.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
