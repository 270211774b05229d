package io.playbill.gateway.fairuse;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A dependency that has stopped answering (JDK HttpServer): it takes every request and holds it until
 * {@link #release()}, then answers {@code body}. Stands in for GS or query-service at their HTTP boundary.
 */
final class StallingServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final Semaphore arrived = new Semaphore(0);
    private volatile CountDownLatch released = new CountDownLatch(1);

    StallingServer(String body) {
        byte[] answer = body.getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                arrived.release();
                released.await(60, TimeUnit.SECONDS);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(handlers);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Waits until {@code count} more requests are being held. */
    void awaitHeld(int count) throws InterruptedException {
        if (!arrived.tryAcquire(count, 10, TimeUnit.SECONDS)) {
            throw new AssertionError(count + " requests did not arrive within 10 s");
        }
    }

    /** Whether a request arrived that {@link #awaitHeld} has not counted yet. */
    boolean heldMore() {
        return arrived.availablePermits() > 0;
    }

    /** Answers every held request, and every later one at once, until {@link #stall()}. */
    void release() {
        released.countDown();
    }

    /** Holds requests again, from now on. */
    void stall() {
        arrived.drainPermits();
        released = new CountDownLatch(1);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        handlers.shutdownNow();
    }
}
