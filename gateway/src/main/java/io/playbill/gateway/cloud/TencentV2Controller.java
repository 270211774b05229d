package io.playbill.gateway.cloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.playbill.gateway.cloud.gs.GsFailure;
import io.playbill.gateway.cloud.gs.GsLockRequest;
import io.playbill.gateway.cloud.gs.GsPool;
import io.playbill.gateway.cloud.gs.GsStart;
import io.playbill.gateway.cloud.queue.QueuePlace;
import io.playbill.gateway.cloud.queue.QueueStanding;
import io.playbill.gateway.game.GameQueues;
import io.playbill.gateway.web.JsonFieldProblem;
import io.playbill.ledger.api.messages.CleanText;
import io.playbill.service.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The current official demos' endpoints (v2: the JS samples and {@code gs-server-demo}, newer Android demos), with
 * their shapes: every answer is HTTP 200 {@code {RequestId (echoed when sent), …, Code, Msg}} with the demo's codes
 * and messages. The JS samples send the JSON with {@code fetch} and no Content-Type (browsers label it
 * {@code text/plain;charset=UTF-8}), so these paths read the body as JSON whatever its type says.
 *
 * <p>Unlike the demo: the caller is authenticated (the integrator adds {@code Authorization: Bearer <user JWT>} to
 * the demo's requests) and is always the GS UserId ({@code UserId} in the body is ignored); the game is paid by a
 * session the gateway opens and renews itself; {@code Sign} is ignored (its salt ships in every client, so it proves
 * nothing the user JWT does not); failures carry {@code Error: {code, …}} with our or GS's code.
 */
@RestController
@ConditionalOnProperty(prefix = CloudProperties.PREFIX, name = {"enabled", "demo-compat"}, havingValue = "true")
@Tag(name = "cloud: demo compatibility", description = "The official v2 demo's StartGame / StopGame / Enqueue / Dequeue")
class TencentV2Controller {

    static final int OK = 0;
    static final int INVALID_PARAMETERS = 10001;
    static final int QUEUING = 10100;
    static final int QUEUE_DONE = 10101;
    static final int CREATE_FAILED = 10200;
    static final int STOP_FAILED = 10201;
    static final int LOCK_FAILED = 10202;

    private static final Map<Integer, String> MESSAGES = Map.of(OK, "Ok",
            INVALID_PARAMETERS, "miss or invalid parametors", QUEUING, "queuing", QUEUE_DONE, "queue done",
            CREATE_FAILED, "create session failed", STOP_FAILED, "stop game failed", LOCK_FAILED, "try lock failed");

    /** The v2 answer; keys in the demo's order. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"RequestId", "SessionDescribe", "Data", "Error", "Code", "Msg"})
    record V2Answer(@JsonProperty("RequestId") String requestId,
                    @JsonProperty("SessionDescribe") Map<String, String> sessionDescribe,
                    @JsonProperty("Data") Place data,
                    @JsonProperty("Error") Map<String, String> error,
                    @JsonProperty("Code") int code,
                    @JsonProperty("Msg") String msg) {

        static V2Answer of(String requestId, int code) {
            return new V2Answer(requestId, null, null, null, code, MESSAGES.get(code));
        }

        static V2Answer failed(String requestId, int code, Map<String, String> error) {
            return new V2Answer(requestId, null, null, error, code, MESSAGES.get(code));
        }
    }

    /** {@code Data} of {@code /Enqueue}: the 0-based place in the queue. */
    record Place(@JsonProperty("Index") int index, @JsonProperty("UserId") String userId,
                 @JsonProperty("GameId") String gameId) {
    }

    /** {@code /Enqueue}'s body: the game (and optional region and group) to wait for. */
    record EnqueueRequest(
            @JsonProperty("GameId") @NotNull(message = "is required")
            @Pattern(regexp = CloudInput.GAME_ID_PATTERN,
                    message = CloudInput.GAME_ID_RULE) String gameId,
            @JsonProperty("GameRegion") @Pattern(regexp = CloudInput.REGION_PATTERN,
                    message = CloudInput.REGION_RULE) String gameRegion,
            @JsonProperty("GroupId") @Pattern(regexp = CloudInput.GROUP_ID_PATTERN,
                    message = CloudInput.GROUP_ID_RULE) String groupId) {
    }

    /** The demo's fields that are numbers in its JSON: a form sends them as text. */
    private static final Set<String> NUMERIC_FIELDS = Set.of("MaxBitrate", "MinBitrate", "Fps");
    private static final java.util.regex.Pattern WHOLE_NUMBER = java.util.regex.Pattern.compile("-?[0-9]{1,18}");

    private final CloudPlay games;
    private final ClientAddress clientAddress;
    private final GameQueues queues;
    private final ObjectMapper json;
    private final Validator validator;

    TencentV2Controller(CloudPlay games, ClientAddress clientAddress, GameQueues queues, ObjectMapper json,
                        Validator validator) {
        this.games = games;
        this.clientAddress = clientAddress;
        this.queues = queues;
        this.json = json;
        this.validator = validator;
    }

    @PostMapping(path = "/StartGame", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "v2: start the game on the worker the queue locked (or an idle one), paid by a session the "
            + "gateway renews")
    V2Answer start(@RequestBody(required = false) String body, Principal user, HttpServletRequest request) {
        Parsed<DemoStartRequest> parsed = parse(jsonOf(body, request), DemoStartRequest.class);
        if (parsed.refusal() != null) {
            return parsed.refusal();
        }
        String userIp = clientAddress.userIp(request);
        try {
            CloudGames.Started started = games.startWithoutQueue(user.getName(),
                    CloudPlay.Payment.byGateway(queues.resolve(null)), parsed.value().toStart(), userIp);
            Map<String, String> describe = new LinkedHashMap<>();
            describe.put("ServerSession", started.session().serverSession());
            describe.put("Role", started.session().role());
            describe.put("RequestId", started.session().requestId());
            return new V2Answer(parsed.requestId(), describe, null, null, OK, MESSAGES.get(OK));
        } catch (GsFailure failure) {
            return V2Answer.failed(parsed.requestId(),
                    "CreateSession".equals(failure.action()) ? CREATE_FAILED : LOCK_FAILED, gsError(failure));
        } catch (ApiException refused) {
            return refusedOrThrown(parsed.requestId(), refused);
        }
    }

    @PostMapping(path = "/StopGame", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "v2: stop the user's game; the session that paid for it ends")
    V2Answer stop(@RequestBody(required = false) String body, Principal user, HttpServletRequest request) {
        String fields = jsonOf(body, request);
        V2Answer malformed = malformed(body, fields, request);
        if (malformed != null) {
            return malformed;
        }
        String requestId = requestIdOf(fields);
        try {
            games.stop(user.getName());
            return V2Answer.of(requestId, OK);
        } catch (GsFailure failure) {
            return V2Answer.failed(requestId, STOP_FAILED, gsError(failure));
        }
    }

    @PostMapping(path = "/Enqueue", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "v2: wait for an idle worker; 10100 with the 0-based Index while waiting, 10101 once a worker "
            + "is locked (then call /StartGame). Poll every 1-5 s.")
    V2Answer enqueue(@RequestBody(required = false) String body, Principal user, HttpServletRequest request) {
        Parsed<EnqueueRequest> parsed = parse(jsonOf(body, request), EnqueueRequest.class);
        if (parsed.refusal() != null) {
            return parsed.refusal();
        }
        EnqueueRequest wanted = parsed.value();
        GsStart start = new GsStart(new GsLockRequest(new GsPool(wanted.gameId()), wanted.gameRegion(),
                wanted.groupId()), null, null, null, null, null, null, null);
        try {
            QueueStanding standing = games.join(user.getName(), CloudPlay.Payment.byGateway(queues.resolve(null)),
                    start, clientAddress.userIp(request));
            QueuePlace place = standing.place();
            if (place.status() == QueuePlace.Status.FAILED) {
                games.cancel(user.getName());
                return V2Answer.failed(parsed.requestId(), LOCK_FAILED,
                        Map.of("code", place.errorCode() == null ? "cloud_error" : place.errorCode()));
            }
            int code = place.status() == QueuePlace.Status.WAITING ? QUEUING : QUEUE_DONE;
            return new V2Answer(parsed.requestId(), null,
                    new Place(Math.max(standing.position() - 1, 0), user.getName(), place.pool().gameId()), null,
                    code, MESSAGES.get(code));
        } catch (ApiException refused) {
            return refusedOrThrown(parsed.requestId(), refused);
        }
    }

    /**
     * A refusal is the demo's "lock failed"; an outage (the ledger, the database) is not the player's doing and
     * answers 503 with Retry-After in the gateway's error shape, as docs/cloud-game.md says, so clients retry later.
     */
    private static V2Answer refusedOrThrown(String requestId, ApiException refused) {
        if (refused.status().is5xxServerError()) {
            throw refused;
        }
        return V2Answer.failed(requestId, LOCK_FAILED, ourError(refused));
    }

    @PostMapping(path = "/Dequeue", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "v2: leave the queue (Code 0 also when the user was not queued)")
    V2Answer dequeue(@RequestBody(required = false) String body, Principal user, HttpServletRequest request) {
        String fields = jsonOf(body, request);
        V2Answer malformed = malformed(body, fields, request);
        if (malformed != null) {
            return malformed;
        }
        games.cancel(user.getName());
        return V2Answer.of(requestIdOf(fields), OK);
    }

    /**
     * The 10001 answer when a body was sent that is no JSON object (nor a form), else null. Stop and Dequeue read
     * only the RequestId of their body, and an empty body is fine; but a broken one (a request cut short) changes
     * nothing, as on every other path.
     */
    private V2Answer malformed(String body, String fields, HttpServletRequest request) {
        // A form's body is read by DemoFormBody, not bound to body: a form that cannot be decoded was sent too.
        boolean sent = body != null && !body.isBlank() || DemoFormBody.of(request).filter(form -> !form.isBlank())
                .isPresent();
        if (fields == null ? !sent : isJsonObject(fields) || fields.isBlank()) {
            return null;
        }
        return V2Answer.failed(null, INVALID_PARAMETERS, error("malformed_json", "The body must be a JSON object"));
    }

    private boolean isJsonObject(String text) {
        try {
            return json.readTree(text) instanceof ObjectNode;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /**
     * The request's fields as JSON text. The demo server reads JSON and form fields alike (its README posts form
     * data). JSON posted with a form's content type (as {@code curl -d} does) is taken as it was sent
     * ({@link DemoFormBody} keeps it from the form parser); a form post is taken field by field, its numeric fields as
     * numbers.
     */
    private String jsonOf(String body, HttpServletRequest request) {
        if (!MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(contentType(request))) {
            return body;
        }
        String form = DemoFormBody.of(request).orElse("");
        if (form.strip().startsWith("{")) {
            return form;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (String pair : form.split("&")) {
                if (!pair.isEmpty()) {
                    int equals = pair.indexOf('=');
                    fields.putIfAbsent(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals),
                                    StandardCharsets.UTF_8),
                            equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (fields.size() == 1 && fields.keySet().iterator().next().startsWith("{")
                && fields.values().iterator().next().isEmpty()) {
            return fields.keySet().iterator().next(); // JSON sent form-encoded whole (curl --data-urlencode)
        }
        ObjectNode object = json.createObjectNode();
        fields.forEach((name, value) -> {
            if (NUMERIC_FIELDS.contains(name) && WHOLE_NUMBER.matcher(value).matches()) {
                object.put(name, Long.parseLong(value));
            } else {
                object.put(name, value);
            }
        });
        return object.toString();
    }

    private static MediaType contentType(HttpServletRequest request) {
        try {
            return request.getContentType() == null ? null : MediaType.parseMediaType(request.getContentType());
        } catch (InvalidMediaTypeException e) {
            return null;
        }
    }

    /** A parsed and validated body, or the 10001 answer for it. */
    private record Parsed<T>(T value, String requestId, V2Answer refusal) {
    }

    private <T> Parsed<T> parse(String body, Class<T> type) {
        String requestId = requestIdOf(body);
        T value;
        try {
            value = body == null ? null : json.readValue(body, type);
        } catch (JsonProcessingException e) {
            JsonFieldProblem wrongType = JsonFieldProblem.of(e);
            if (wrongType != null) {
                return new Parsed<>(null, requestId, V2Answer.failed(requestId, INVALID_PARAMETERS,
                        error(ApiException.invalidCode(wrongType.field()),
                                wrongType.field() + " " + wrongType.expectation())));
            }
            value = null;
        }
        if (value == null) {
            return new Parsed<>(null, requestId, V2Answer.failed(requestId, INVALID_PARAMETERS,
                    error("malformed_json", "The body must be a JSON object")));
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            ConstraintViolation<T> first = violations.stream()
                    .min(Comparator.comparing(violation -> violation.getPropertyPath().toString())).orElseThrow();
            String field = first.getPropertyPath().toString();
            return new Parsed<>(null, requestId, V2Answer.failed(requestId, INVALID_PARAMETERS,
                    error(ApiException.invalidCode(field), field + " " + first.getMessage())));
        }
        return new Parsed<>(value, requestId, null);
    }

    /** The body's {@code RequestId}, echoed in the answer when it is a string; null otherwise. */
    private String requestIdOf(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode requestId = json.readTree(body).get("RequestId");
            return requestId != null && requestId.isTextual() && requestId.asText().length() <= 128
                    && CleanText.isClean(requestId.asText()) ? requestId.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Map<String, String> gsError(GsFailure failure) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("code", failure.code());
        if (failure.requestId() != null) {
            error.put("requestId", failure.requestId());
        }
        return error;
    }

    private static Map<String, String> ourError(ApiException refused) {
        return error(refused.code(), refused.getMessage());
    }

    /** {@code {code, message}}, in that order. */
    private static Map<String, String> error(String code, String message) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return error;
    }
}
