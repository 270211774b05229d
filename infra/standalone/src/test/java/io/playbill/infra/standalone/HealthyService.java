package io.playbill.infra.standalone;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in service that answers {@code /actuator/health} UP on {@code SERVER_ADDRESS} (else every address) and
 * {@code SERVER_PORT}, as a Spring Boot service does. No nested classes: {@link IdleServiceJar} copies one class file.
 */
public final class HealthyService {

    private HealthyService() {
    }

    public static void main(String[] args) throws IOException {
        String address = System.getenv("SERVER_ADDRESS");
        int port = Integer.parseInt(System.getenv("SERVER_PORT"));
        HttpServer server = HttpServer.create(address == null ? new InetSocketAddress(port)
                : new InetSocketAddress(address, port), 0);
        byte[] up = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/actuator/health", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, up.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(up);
            }
        });
        server.start();
    }
}
