package io.playbill.gsemulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.util.Map;

/**
 * {@code /_emulator/...}: lets black-box tests and the operator look inside and break things. Plain HTTP
 * statuses here (unlike the GS API), since no Tencent SDK calls these. Each POST answers the new state.
 */
final class AdminHandler implements HttpHandler {

    static final String PREFIX = "/_emulator/";

    private final GsEmulator emulator;
    private final ObjectMapper json;

    AdminHandler(GsEmulator emulator, ObjectMapper json) {
        this.emulator = emulator;
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            try {
                switch (route) {
                    case "GET " + PREFIX + "state" -> sendState(exchange);
                    case "POST " + PREFIX + "faults" -> {
                        addFault(body);
                        sendState(exchange);
                    }
                    case "POST " + PREFIX + "reset" -> {
                        emulator.reset();
                        sendState(exchange);
                    }
                    default -> sendError(exchange, 404, "No " + route + ". Try GET " + PREFIX + "state, POST "
                            + PREFIX + "faults {\"action\",\"code\",\"times\",\"userId\"} or POST " + PREFIX
                            + "reset.");
                }
            } catch (IllegalArgumentException e) {
                sendError(exchange, 400, e.getMessage());
            }
        }
    }

    private void addFault(byte[] body) {
        JsonNode fault;
        try {
            fault = json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("The body must be JSON: {\"action\",\"code\",\"times\"}", e);
        }
        if (fault == null || !fault.isObject()) {
            throw new IllegalArgumentException("The body must be a JSON object: {\"action\",\"code\",\"times\"}");
        }
        String action = fault.path("action").asText();
        String code = fault.path("code").asText();
        int times = fault.path("times").asInt(1);
        JsonNode userId = fault.path("userId");
        if (userId.isMissingNode() || userId.isNull()) {
            emulator.failNext(action, code, times);
        } else {
            emulator.failNextFor(userId.asText(), action, code, times);
        }
    }

    private void sendState(HttpExchange exchange) throws IOException {
        GsEmulatorServer.sendJson(exchange, 200, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(emulator.state()));
    }

    private void sendError(HttpExchange exchange, int status, String message) throws IOException {
        GsEmulatorServer.sendJson(exchange, status, json.writeValueAsBytes(Map.of("error", message)));
    }
}
