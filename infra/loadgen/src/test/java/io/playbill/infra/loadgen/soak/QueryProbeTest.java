package io.playbill.infra.loadgen.soak;

import com.sun.net.httpserver.HttpServer;
import io.playbill.infra.kafka.LoopbackPorts;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe sees a gateway go and come back even when no player is calling it. */
class QueryProbeTest {

    @Test
    void aGatewayRefusingConnectionsIsAnOutageUntilItAnswersAgain() throws Exception {
        int port = LoopbackPorts.free();
        String gateway = "http://127.0.0.1:" + port;
        Availability availability = new Availability(System.nanoTime());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpServer server = HttpServer.create();
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        QueryProbe probe = new QueryProbe(http, List.of(gateway), List.of("query-1"), "token", "probe-user",
                availability, timer);
        try {
            Availability.Outage down = awaitGatewayOutage(availability);
            assertThat(down.where()).isEqualTo(gateway);
            assertThat(down.ended()).as("nothing listens yet").isFalse();

            server.bind(new InetSocketAddress("127.0.0.1", port), 0);
            server.start();

            Availability.Outage over = awaitGatewayOutage(availability, true);
            assertThat(over.fromSeconds()).isEqualTo(down.fromSeconds());
            assertThat(availability.outages()).as("a 200 is query-service answering, never its outage")
                    .noneMatch(outage -> outage.service().equals("query-service"));
        } finally {
            probe.close();
            server.stop(0);
            timer.shutdownNow();
        }
    }

    private static Availability.Outage awaitGatewayOutage(Availability availability) throws InterruptedException {
        return awaitGatewayOutage(availability, false);
    }

    private static Availability.Outage awaitGatewayOutage(Availability availability, boolean ended)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Availability.Outage> outage = availability.outages().stream()
                    .filter(o -> o.service().equals("gateway") && o.ended() == ended).findFirst();
            if (outage.isPresent()) {
                return outage.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no gateway outage with ended=" + ended + " in " + availability.outages());
    }
}
