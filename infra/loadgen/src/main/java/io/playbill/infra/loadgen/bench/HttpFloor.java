package io.playbill.infra.loadgen.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.playbill.infra.loadgen.Threads;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The machine's HTTP floor: the JDK's minimal {@link HttpServer} on loopback with a small thread pool, answering
 * every request with a fixed token response of the gateway's shape and size, without looking at it. Driven by the
 * same client as token issue (a), it says how much of (a)'s cost is the HTTP exchange itself on this box, and
 * driven open loop it shows whether the load generator can offer the ramp's rates at all.
 */
final class HttpFloor implements AutoCloseable {

    /** Enough to keep both cores busy; more threads only add switching. */
    private static final int THREADS = 4;
    /**
     * A token response like the gateway's (about the same length; the payload carries a {@code deadline}, which the
     * renew generator reads).
     */
    private static final byte[] RESPONSE = ("{\"token\":\"eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9."
            + "eyJ0eXBlIjoicmVuZXciLCJzZXNzaW9uIjoiZmxvb3IiLCJkZWFkbGluZSI6NjAsImN1c3RvbWVyIjoicGxheWJpbGwtZGV2Iiwi"
            + "aXNzIjoicGxheWJpbGwtZGV2IiwiZXhwIjo0MTAyNDQ0ODAwfQ."
            + "c2lnbmF0dXJlLW9mLXRoZS1mbG9vci1yZXNwb25zZS0wMTIzNDU2Nzg\"}").getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final ExecutorService threads;

    private HttpFloor(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * The JDK server leaves Nagle's algorithm on unless told otherwise: with the client's delayed ACKs every response
     * would wait for a timer, and the floor would measure that wait rather than the HTTP exchange. The setting is
     * read once per JVM, when the first server starts (the GS emulator's, in the platform), so this must run before.
     */
    static void useTcpNoDelay() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    static HttpFloor start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, Threads.daemon("bench-http-floor"));
        server.setExecutor(threads);
        server.createContext("/", HttpFloor::answer);
        server.start();
        return new HttpFloor(server, threads);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, RESPONSE.length);
            exchange.getResponseBody().write(RESPONSE);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
