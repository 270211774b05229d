package io.playbill.infra.standalone;

import io.playbill.infra.kafka.LoopbackPorts;
import io.playbill.infra.standalone.watchdog.WatchdogJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service bound to one address ({@code PLAYBILL_GATEWAY_ADDRESS} for the dev gateway) is reached there: it does
 * not answer on 127.0.0.1, so health checks there would wait out the start timeout and fail the platform's start.
 */
class ServiceAddressTest {

    @TempDir
    Path run;

    @Test
    void aServiceBoundToOneAddressIsCheckedForHealthOnThatAddress() throws Exception {
        // Linux routes all of 127.0.0.0/8 to loopback, so 127.0.0.2 is an address of its own on any such machine.
        int port = LoopbackPorts.free();
        ServiceProcess service = ServiceProcess.start("healthy",
                IdleServiceJar.writeTo(run, HealthyService.class, "healthy-service-exec.jar"), port,
                Map.of("SERVER_ADDRESS", "127.0.0.2"), List.of(), WatchdogJar.writeTo(run), run);
        try {
            service.awaitHealthy(Duration.ofSeconds(30));
            assertThat(service.url()).isEqualTo("http://127.0.0.2:" + port);
        } finally {
            service.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aServiceOnEveryAddressOrOnLoopbackIsReachedOnLoopback() {
        assertThat(ServiceProcess.reachableHost(null)).isEqualTo("127.0.0.1");
        assertThat(ServiceProcess.reachableHost(" ")).isEqualTo("127.0.0.1");
        assertThat(ServiceProcess.reachableHost("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(ServiceProcess.reachableHost("::")).isEqualTo("127.0.0.1");
        assertThat(ServiceProcess.reachableHost(" 192.168.1.20 ")).isEqualTo("192.168.1.20");
        assertThat(ServiceProcess.reachableHost("fe80::1")).isEqualTo("[fe80::1]");
    }
}
