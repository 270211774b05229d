package io.playbill.infra.loadgen.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.infra.kafka.PlaybillTopics;
import io.playbill.infra.loadgen.client.AttemptListener;
import io.playbill.infra.loadgen.client.Call;
import io.playbill.infra.loadgen.client.Jwts;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each service stopped and started answering, as the calls made to it saw it. An outage of a service begins
 * when a call to it is sent that then fails, and ends when the first call after it succeeds; what counts as a call
 * to which service:
 * <ul>
 *   <li>gateway, per instance (the players are pinned to one each): any answer is a success, a refused or timed-out
 *       connection a failure;</li>
 *   <li>command-service, per partition of the request topic (one instance decides a partition at a time, so a dead
 *       instance is an outage for the users on its partitions only): a ledger call answered by the ledger, accepted or
 *       refused, is a success, 503 {@code ledger_unavailable} a failure;</li>
 *   <li>query-service, per instance behind each gateway: the soak's balance reads ({@link QueryProbe}) answered 200
 *       are successes, 5xx failures.</li>
 * </ul>
 */
final class Availability implements AttemptListener {

    /** One outage of one service, in seconds since the soak began; {@code ended} false if it lasted to the end. */
    record Outage(String service, String where, double fromSeconds, double toSeconds, boolean ended) {

        double seconds() {
            return toSeconds - fromSeconds;
        }
    }

    /**
     * A ledger call refused with a status no player of a soak should see (not 402, the balance running out): a hint at
     * a fault handled badly.
     */
    record Refusal(double atSeconds, String userId, String call, int status, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REFUSALS_KEPT = 50;
    private static final Pattern DEPOSIT_PATH = Pattern.compile("/api/admin/accounts/([^/]+)/deposits");

    private final long startNanos;
    private final Map<String, Long> openSince = new HashMap<>();
    private final List<Outage> ended = new ArrayList<>();
    private final List<Refusal> refusals = new ArrayList<>();
    private long refusalCount;
    /** Bearer token → its subject, so each player's token is read once. */
    private final Map<String, String> subjects = new ConcurrentHashMap<>();

    Availability(long startNanos) {
        this.startNanos = startNanos;
    }

    @Override
    public void attempted(Call call, HttpRequest request, int status, String body, long sentNanos,
                          long receivedNanos) {
        record("gateway", gateway(request.uri()), status != 0, sentNanos, receivedNanos);
        if (status == 0 || call == Call.SET_PRICE) {
            return;
        }
        boolean ledgerDown = status == 503 && "ledger_unavailable".equals(errorCode(body));
        boolean ledgerAnswered = status / 100 == 2 || status == 402 || status == 404 || status == 409;
        if (ledgerDown || ledgerAnswered) {
            user(call, request).ifPresent(user -> record("command-service", "partition " + partition(user),
                    ledgerAnswered, sentNanos, receivedNanos));
        }
        if (status / 100 == 4 && status != 402) {
            refused(new Refusal(seconds(receivedNanos), user(call, request).orElse("?"),
                    call.name().toLowerCase(Locale.ROOT), status, body));
        }
    }

    private synchronized void refused(Refusal refusal) {
        refusalCount++;
        if (refusals.size() < REFUSALS_KEPT) {
            refusals.add(refusal);
        }
    }

    /** The first refusals (see {@link Refusal}). */
    synchronized List<Refusal> refusals() {
        return List.copyOf(refusals);
    }

    synchronized long refusalCount() {
        return refusalCount;
    }

    /** Where a call to a gateway instance is recorded: its scheme and authority. */
    static String gateway(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    /** One call's outcome for {@code service} at {@code where}. */
    synchronized void record(String service, String where, boolean ok, long sentNanos, long receivedNanos) {
        String key = service + "\u0000" + where;
        if (!ok) {
            openSince.merge(key, sentNanos, Math::min);
            return;
        }
        Long since = openSince.remove(key);
        if (since != null && since < receivedNanos) {
            ended.add(new Outage(service, where, seconds(since), seconds(receivedNanos), true));
        }
    }

    /** Every outage so far, oldest first; those still going on end now. */
    synchronized List<Outage> outages() {
        List<Outage> all = new ArrayList<>(ended);
        long now = System.nanoTime();
        openSince.forEach((key, since) -> {
            String[] parts = key.split("\u0000", 2);
            all.add(new Outage(parts[0], parts[1], seconds(since), seconds(now), false));
        });
        all.sort(Comparator.comparingDouble(Outage::fromSeconds));
        return all;
    }

    double secondsSinceStart() {
        return seconds(System.nanoTime());
    }

    private double seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos - startNanos) / 1000.0;
    }

    /** The request topic's partition of the user's requests: the gateway's producer keys them by user. */
    static int partition(String userId) {
        return BuiltInPartitioner.partitionForKey(userId.getBytes(StandardCharsets.UTF_8),
                PlaybillTopics.LEDGER_PARTITIONS);
    }

    private Optional<String> user(Call call, HttpRequest request) {
        if (call == Call.DEPOSIT) {
            Matcher deposit = DEPOSIT_PATH.matcher(request.uri().getRawPath());
            return deposit.matches() ? Optional.of(URLDecoder.decode(deposit.group(1), StandardCharsets.UTF_8))
                    : Optional.empty();
        }
        return request.headers().firstValue("Authorization").filter(value -> value.startsWith("Bearer "))
                .map(value -> subjects.computeIfAbsent(value.substring(7),
                        token -> Jwts.claims(token).path("sub").asText()));
    }

    private static String errorCode(String body) {
        try {
            return JSON.readTree(body == null ? "" : body).path("error").path("code").asText("");
        } catch (IOException e) {
            return "";
        }
    }
}
