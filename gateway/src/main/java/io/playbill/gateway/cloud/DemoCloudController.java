package io.playbill.gateway.cloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.playbill.gateway.cloud.gs.GsFailure;
import io.playbill.gateway.cloud.gs.GsSession;
import io.playbill.gateway.cloud.gs.GsStart;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The official Node demo's endpoints, for clients written against it ({@code playbill.cloud.demo-compat=true}).
 * Same shapes: HTTP 200 with {@code code} 0 and {@code data} = GS's answer, -1 when the lock failed (including "no
 * idle worker" and "others are queued": the demo has no queue), -2 when CreateSession failed. Unlike the demo, the
 * caller must be authenticated and is always the GS UserId; a {@code UserId} in the body is ignored.
 */
@RestController
@ConditionalOnProperty(prefix = CloudProperties.PREFIX, name = {"enabled", "demo-compat"}, havingValue = "true")
@Tag(name = "cloud: demo compatibility", description = "The official demo's StartCloudGame / StopCloudGame")
class DemoCloudController {

    static final int OK = 0;
    static final int LOCK_FAILED = -1;
    static final int CREATE_FAILED = -2;

    private final CloudGames games;
    private final CloudProperties settings;

    DemoCloudController(CloudGames games, CloudProperties settings) {
        this.games = games;
        this.settings = settings;
    }

    /** The demo's answer: {@code {"code":0,"data":{…}}} or {@code {"code":-1,"msg":"…"}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DemoAnswer(int code, String msg, Map<String, String> data) {

        static DemoAnswer ok(Map<String, String> data) {
            return new DemoAnswer(OK, null, data);
        }

        static DemoAnswer failed(int code, GsFailure failure) {
            return new DemoAnswer(code, failure.action() + " failed: " + failure.code()
                    + (failure.requestId() == null ? "" : " (RequestId " + failure.requestId() + ")"), null);
        }
    }

    @PostMapping(path = "/StartCloudGame", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "TrylockWorker then CreateSession, as the official demo does")
    DemoAnswer start(@RequestBody @Valid DemoStartRequest body, Principal user, HttpServletRequest request) {
        String userId = user.getName();
        GsStart start = body.toStart();
        String userIp = ClientAddress.of(request, settings.trustProxy());
        if (games.mustQueue(userId, start.pool())) {
            return new DemoAnswer(LOCK_FAILED, "TrylockWorker not tried: players are queued for this game", null);
        }
        try {
            games.lock(userId, start, userIp);
        } catch (GsFailure failure) {
            return DemoAnswer.failed(LOCK_FAILED, failure);
        }
        GsSession session;
        try {
            session = games.createSession(userId, start, userIp);
        } catch (GsFailure failure) {
            return DemoAnswer.failed(CREATE_FAILED, failure);
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("ServerSession", session.serverSession());
        data.put("Role", session.role());
        data.put("RequestId", session.requestId());
        return DemoAnswer.ok(data);
    }

    @PostMapping(path = "/StopCloudGame", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "StopGame for the authenticated user")
    DemoAnswer stop(Principal user) {
        try {
            return DemoAnswer.ok(Map.of("RequestId", games.stop(user.getName())));
        } catch (GsFailure failure) {
            return DemoAnswer.failed(LOCK_FAILED, failure);
        }
    }
}
