package io.playbill.gateway.support;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.playbill.trust.AssertionRefusedException;
import io.playbill.trust.AssertionVerifier;
import io.playbill.trust.CallerAssertion;
import io.playbill.trust.InternalKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in query-service (JDK HttpServer): records every request as it arrived and answers what it is told.
 */
public final class StubQueryService implements AutoCloseable {

    /** The internal key of test gateways with the profile standalone (test config/application-standalone.yml). */
    public static final String INTERNAL_KEY = "gateway-test-internal-key-0123456789abcdef";

    private static final AssertionVerifier VERIFIER = new AssertionVerifier(InternalKey.of(INTERNAL_KEY),
            Clock.systemUTC());

    /** A request as query-service would see it. */
    public record Received(String method, String path, String rawQuery, Headers headers, String body) {

        /**
         * The caller as query-service would accept it: the one caller assertion, verified against this request's
         * method, raw path and query as they arrived here through the gateway's proxy; an assertion error if there is
         * none or it does not verify.
         */
        public CallerAssertion caller() {
            List<String> assertions = all(CallerAssertion.HEADER);
            if (assertions.size() != 1) {
                throw new AssertionError("Expected one " + CallerAssertion.HEADER + ", got " + assertions.size());
            }
            try {
                return VERIFIER.verify(assertions.get(0), method, path, CallerAssertion.canonicalQuery(rawQuery));
            } catch (AssertionRefusedException e) {
                throw new AssertionError("query-service would refuse the assertion: " + e.getMessage(), e);
            }
        }

        /** Every value of a header (names are case-insensitive). */
        public List<String> all(String name) {
            List<String> values = headers.get(name);
            return values == null ? List.of() : values;
        }

        /** The names of the headers starting with {@code prefix}, case-insensitively. */
        public List<String> namesStartingWith(String prefix) {
            List<String> names = new ArrayList<>();
            headers.keySet().stream().filter(n -> n.regionMatches(true, 0, prefix, 0, prefix.length()))
                    .forEach(names::add);
            return names;
        }
    }

    /** What to answer next. */
    public record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile Answer answer = new Answer(200, "application/json", "{}");

    private StubQueryService() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body));
                Answer now = answer;
                byte[] bytes = now.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", now.contentType());
                exchange.sendResponseHeaders(now.status(), bytes.length == 0 ? -1 : bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
    }

    public static StubQueryService start() {
        return new StubQueryService();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void answer(int status, String contentType, String body) {
        answer = new Answer(status, contentType, body);
    }

    /** The next request received, waiting up to 5 s. */
    public Received next() throws InterruptedException {
        Received next = received.poll(5, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("query-service received no request within 5 s");
        }
        return next;
    }

    /** Forgets what was received; answers 200 {} again. */
    public void reset() {
        received.clear();
        answer = new Answer(200, "application/json", "{}");
    }

    public boolean receivedNothing() {
        return received.isEmpty();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
