package io.playbill.infra.loadgen.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads one balance through each gateway twice a second, as finance would, so that {@link Availability} sees
 * query-service answer or not (the players themselves read nothing). Gateway k reads from query-service instance k.
 * Any answer also counts as the gateway's, a refused or timed-out connection as its outage: a gateway killed when none
 * of the players pinned to it happens to be playing is still seen to go.
 */
final class QueryProbe implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final List<String> gateways;
    private final List<String> queryInstances;
    private final String bearer;
    private final String user;
    private final Availability availability;
    private final ScheduledFuture<?> task;

    /**
     * @param queryInstances the query-service instance each gateway reads from, by the gateway's index
     * @param user           whose balance is read (any user; unknown ones read as zero)
     */
    QueryProbe(HttpClient http, List<String> gateways, List<String> queryInstances, String bearer, String user,
               Availability availability, ScheduledExecutorService timer) {
        this.http = http;
        this.gateways = gateways;
        this.queryInstances = queryInstances;
        this.bearer = bearer;
        this.user = user;
        this.availability = availability;
        this.task = timer.scheduleWithFixedDelay(this::probe, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probe() {
        for (int i = 0; i < gateways.size(); i++) {
            String instance = queryInstances.get(i);
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateways.get(i) + "/api/finance/users/" + user
                    + "/account")).header("Authorization", "Bearer " + bearer).timeout(TIMEOUT).GET().build();
            long sent = System.nanoTime();
            String gateway = Availability.gateway(request.uri());
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                availability.record("gateway", gateway, response != null, sent, System.nanoTime());
                if (response != null && (response.statusCode() == 200 || response.statusCode() >= 500)) {
                    availability.record("query-service", instance, response.statusCode() == 200, sent,
                            System.nanoTime());
                }
            });
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
