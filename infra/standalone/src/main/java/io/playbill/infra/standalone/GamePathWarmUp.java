package io.playbill.infra.standalone;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the SDK's game calls through a freshly started platform before {@code ./playbill up} reports it up, so
 * that the first real players do not wait while the service JVMs load and compile the classes of that path
 * (decision 058). Every call is one the ledger refuses and that therefore stores nothing: made-up players with no
 * account ask for an authToken (no balance), then start, renew and stop a session that was never theirs. Each call
 * still crosses the gateway's HTTP stack and JWT check, the requests topic, the ledger's intake and account load,
 * the replies topic and the gateway's reply consumer.
 */
final class GamePathWarmUp {

    /** Answers the warm-up expects: the ledger's refusals of made-up players. */
    static final Map<String, Integer> EXPECTED_REFUSALS = Map.of(
            "insufficient_balance", 402,
            "session_not_found", 403);
    private static final Pattern ERROR_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

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
     * {@code players} made-up players, {@code concurrency} at a time, each making an authToken, a start, {@code
     * renews} renews and a stop call; gives up starting new players once {@code limit} has passed.
     */
    Result run(String runId, int players, int renews, int concurrency, Duration limit) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        AtomicInteger next = new AtomicInteger();
        LongAdder refused = new LongAdder();
        Map<String, LongAdder> unexpected = new ConcurrentHashMap<>();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "warm-up");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int w = 0; w < concurrency; w++) {
                workers.execute(() -> {
                    int player;
                    while ((player = next.getAndIncrement()) < players && System.nanoTime() < deadline) {
                        play(player(runId, player), session(runId, player), renews, refused, unexpected);
                    }
                });
            }
        } finally {
            workers.shutdown();
        }
        if (!workers.awaitTermination(limit.plus(CALL_TIMEOUT.multipliedBy(renews + 3L)).toMillis(),
                TimeUnit.MILLISECONDS)) {
            workers.shutdownNow();
        }
        Map<String, Long> others = new TreeMap<>();
        unexpected.forEach((answer, count) -> others.put(answer, count.sum()));
        return new Result(Math.min(next.get(), players), refused.sum(), others,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private void play(String user, String session, int renews, LongAdder refused, Map<String, LongAdder> unexpected) {
        String bearer = "Bearer " + DevCredentials.userToken(user, List.of(), Duration.ofMinutes(10));
        String json = "{\"session\":\"" + session + "\",\"queue\":\"" + queue + "\",\"lastDeadline\":1}";
        count(send(request("api/game/authToken?session=" + session + "&queue=" + queue, bearer).GET()),
                refused, unexpected);
        count(send(post("api/game/start", bearer, json)), refused, unexpected);
        for (int i = 0; i < renews; i++) {
            count(send(post("api/game/renew", bearer, json)), refused, unexpected);
        }
        count(send(post("api/game/stop", bearer, json)), refused, unexpected);
    }

    private static void count(String answer, LongAdder refused, Map<String, LongAdder> unexpected) {
        if (answer == null) {
            refused.increment();
        } else {
            unexpected.computeIfAbsent(answer, key -> new LongAdder()).increment();
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
            Matcher code = ERROR_CODE.matcher(response.body());
            String errorCode = code.find() ? code.group(1) : "";
            Integer status = EXPECTED_REFUSALS.get(errorCode);
            return status != null && status == response.statusCode() ? null
                    : "HTTP " + response.statusCode() + (errorCode.isEmpty() ? "" : " " + errorCode);
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * What a warm-up did: players started, calls refused as expected, and every other answer with its count (a
     * platform that answered anything else is up but not warmed as meant; the launcher says so).
     */
    record Result(int players, long refused, Map<String, Long> unexpected, Duration took) {

        long calls() {
            return refused + unexpected.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
