package io.playbill.infra.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on 127.0.0.1 for listeners that are started a moment later by another process or library (the broker,
 * PostgreSQL, the services, the GS emulator). It lives in the broker module because every infra module builds on it.
 *
 * <p>Why not port 0: the kernel hands out ports of its ephemeral range, and an outgoing connection made between the
 * pick and the listener's bind can take the same port (a CI run failed that way). Ports are therefore picked below
 * the ephemeral range, which outgoing connections never use, at random so two JVMs rarely meet, never twice in this
 * JVM, and checked by a bind.
 */
public final class LoopbackPorts {

    private static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {
    }

    /**
     * {@link #free()}, and none of {@code taken}: ports chosen elsewhere (a setting, another JVM) whose listeners are
     * not bound yet, so a bind cannot tell they are taken.
     */
    public static int freeExcept(int... taken) {
        while (true) {
            int port = free();
            if (Arrays.stream(taken).noneMatch(other -> other == port)) {
                return port;
            }
        }
    }

    /** A port nothing listens on now, outside the kernel's ephemeral range, not handed out before by this JVM. */
    public static int free() {
        int below = ephemeralRangeStart();
        if (below - LOWEST >= 1_000) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
                if (bindable(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        // A kernel configured with (almost) no room below its ephemeral range: fall back to one the kernel picks.
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = kernelPicked();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port on 127.0.0.1");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int kernelPicked() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port on 127.0.0.1", e);
        }
    }

    /** Linux says where its range starts; 32768 is its default and lies below other systems' (49152). */
    private static int ephemeralRangeStart() {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            if (Files.isReadable(range)) {
                // Not Files.readString: procfs reports a size of zero and that read comes back cut short.
                return Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException unreadable) {
            // fall through to the default
        }
        return 32_768;
    }
}
