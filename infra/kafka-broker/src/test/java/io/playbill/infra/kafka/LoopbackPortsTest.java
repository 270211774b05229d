package io.playbill.infra.kafka;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Scanner;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackPortsTest {

    @Test
    void handsOutBindablePortsBelowTheEphemeralRangeNeverTwice() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int ephemeralStart = 32_768;
        if (Files.isReadable(range)) {
            try (Scanner scanner = new Scanner(range)) {
                ephemeralStart = scanner.nextInt();
            }
        }
        assertThat(ephemeralStart - 10_000).as("room below the ephemeral range on this machine")
                .isGreaterThanOrEqualTo(1_000);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = LoopbackPorts.free();
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            assertThat(port).as("outside the kernel's ephemeral range").isBetween(10_000, ephemeralStart - 1);
        }
        int port = LoopbackPorts.free();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
