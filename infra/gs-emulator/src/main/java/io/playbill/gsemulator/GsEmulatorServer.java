package io.playbill.gsemulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTP side: one JDK server answering the GS API on "/" and the admin endpoints under "/_emulator/". */
final class GsEmulatorServer implements AutoCloseable {

    /** Enough for a gateway's concurrent calls: each answer takes microseconds. */
    private static final int THREADS = 4;

    private final HttpServer http;
    private final ExecutorService executor;

    /** Binds and starts serving; throws {@link java.net.BindException} when the port is taken. */
    GsEmulatorServer(String host, int port, HttpHandler api, HttpHandler admin) throws IOException {
        http = HttpServer.create(new InetSocketAddress(host, port), 0);
        http.createContext("/", api);
        http.createContext(AdminHandler.PREFIX, admin);
        AtomicInteger threadNumber = new AtomicInteger();
        executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "gs-emulator-http-" + threadNumber.incrementAndGet());
            thread.setDaemon(true); // an embedded emulator someone forgot to close must not keep a test JVM alive
            return thread;
        });
        http.setExecutor(executor);
        http.start();
    }

    int port() {
        return http.getAddress().getPort();
    }

    static void sendJson(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
