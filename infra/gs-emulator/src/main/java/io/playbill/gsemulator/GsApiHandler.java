package io.playbill.gsemulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code POST /}: the GS API as the Tencent SDK calls it. Checks run in the order that tells the caller the most:
 * signature, version, action, JSON body, then an injected fault or the action itself. Every call is journaled
 * and answered with HTTP 200, because the SDK turns any other status into a generic ServerSideError.
 */
final class GsApiHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(GsApiHandler.class);

    private final Tc3Signature signature;
    private final GsActions actions;
    private final FaultInjector faults;
    private final CallHooks hooks;
    private final Journal journal;
    private final Clock clock;
    private final ObjectMapper json;

    GsApiHandler(Tc3Signature signature, GsActions actions, FaultInjector faults, CallHooks hooks, Journal journal,
                 Clock clock, ObjectMapper json) {
        this.signature = signature;
        this.actions = actions;
        this.faults = faults;
        this.hooks = hooks;
        this.journal = journal;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Headers headers = exchange.getRequestHeaders();
            String action = headers.getFirst("X-TC-Action");
            JsonNode params = parseOrNull(body);
            String requestId = UUID.randomUUID().toString();

            ObjectNode response = json.createObjectNode();
            String code = JournalEntry.OK;
            try {
                call(exchange, action, body, params).forEach(response::put);
            } catch (GsApiException e) {
                code = e.code();
                response.putObject("Error").put("Code", code).put("Message", e.getMessage());
            } catch (RuntimeException e) {
                // An emulator bug must still reach the SDK as an API error, not as a dropped connection.
                log.error("Unexpected failure answering {}", action, e);
                code = "InternalError";
                response.putObject("Error").put("Code", code).put("Message", "gs-emulator failed: " + e);
            }
            response.put("RequestId", requestId);

            String userId = userIdOf(params);
            journal.record(new JournalEntry(clock.instant(), action, userId, code, requestId));
            log.debug("{} UserId={} -> {}", action, userId, code);
            GsEmulatorServer.sendJson(exchange, 200, json.writeValueAsBytes(Map.of("Response", response)));
        }
    }

    private Map<String, String> call(HttpExchange exchange, String action, byte[] body, JsonNode params) {
        String method = exchange.getRequestMethod();
        if (!"POST".equals(method) || !"/".equals(exchange.getRequestURI().getPath())) {
            throw new GsApiException("UnsupportedProtocol",
                    "The emulator answers POST / with a JSON body (what the SDK sends), not " + method + " "
                            + exchange.getRequestURI().getPath() + ".");
        }
        signature.verify(method, exchange.getRequestHeaders()::getFirst, body);
        String version = exchange.getRequestHeaders().getFirst("X-TC-Version");
        if (action == null || version == null) {
            throw new GsApiException("MissingParameter", "The request is missing the header X-TC-Action or X-TC-Version.");
        }
        if (!GsActions.API_VERSION.equals(version)) {
            throw new GsApiException("NoSuchVersion", "Version " + version + " does not exist; GS is "
                    + GsActions.API_VERSION + ".");
        }
        Function<JsonNode, Map<String, String>> target = actions.find(action);
        if (params == null || !params.isObject()) {
            throw new GsApiException("InvalidParameter.JsonParseError", "The request body is not a JSON object.");
        }
        Optional<EmulatorState.Fault> fault = faults.take(action, userIdOf(params));
        try {
            if (fault.isPresent()) {
                throw new GsApiException(fault.get().code(), "Injected by gs-emulator ("
                        + (fault.get().remaining() - 1) + " more to come).");
            }
            return target.apply(params);
        } finally {
            hooks.take(action, userIdOf(params)).ifPresent(GsApiHandler::runHook);
        }
    }

    /** A hook's failed assertion is answered as InternalError, like any other failure, not as a dropped call. */
    private static void runHook(Runnable hook) {
        try {
            hook.run();
        } catch (AssertionError failed) {
            throw new IllegalStateException("A test's hook failed: " + failed.getMessage(), failed);
        }
    }

    /** The request's UserId, or null when it has none or the body is not JSON. */
    private static String userIdOf(JsonNode params) {
        return params != null && params.path("UserId").isTextual() ? params.get("UserId").asText() : null;
    }

    private JsonNode parseOrNull(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
