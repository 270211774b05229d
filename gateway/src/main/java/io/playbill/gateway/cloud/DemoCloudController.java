package io.playbill.gateway.cloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.playbill.gateway.cloud.gs.GsFailure;
import io.playbill.gateway.game.GameQueues;
import io.playbill.service.web.ApiException;
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
 * The official v1 demo's endpoints (the 2021 Node {@code app.js}, old Android/iOS/JS clients), for clients written
 * against it ({@code playbill.cloud.demo-compat=true}). Same shapes: HTTP 200 with {@code code} 0 and {@code data} =
 * GS's answer; {@code code} -1 when the game could not be locked (no idle worker, others queued — the demo has no
 * queue — or no paid session allows it), -2 when CreateSession failed; a failure's {@code data} holds
 * {@code {code, requestId}} as the demo's does, which old clients read.
 *
 * <p>Unlike the demo, the caller must be authenticated and is always the GS UserId (a {@code UserId} in the body is
 * ignored), and the game is paid: these clients have no token heartbeat, so the gateway opens a session on the
 * default queue and renews it itself while the game runs.
 */
@RestController
@ConditionalOnProperty(prefix = CloudProperties.PREFIX, name = {"enabled", "demo-compat"}, havingValue = "true")
@Tag(name = "cloud: demo compatibility", description = "The official v1 demo's StartCloudGame / StopCloudGame")
class DemoCloudController {

    static final int OK = 0;
    static final int LOCK_FAILED = -1;
    static final int CREATE_FAILED = -2;

    private final CloudPlay games;
    private final ClientAddress clientAddress;
    private final GameQueues queues;

    DemoCloudController(CloudPlay games, ClientAddress clientAddress, GameQueues queues) {
        this.games = games;
        this.clientAddress = clientAddress;
        this.queues = queues;
    }

    /** The demo's answer: {@code {"code":0,"data":{…}}} or {@code {"code":-1,"msg":"…","data":{"code","requestId"}}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DemoAnswer(int code, String msg, Map<String, String> data) {

        static DemoAnswer ok(Map<String, String> data) {
            return new DemoAnswer(OK, null, data);
        }

        static DemoAnswer failed(int code, GsFailure failure) {
            Map<String, String> data = new LinkedHashMap<>();
            data.put("code", failure.code());
            if (failure.requestId() != null) {
                data.put("requestId", failure.requestId());
            }
            return new DemoAnswer(code, failure.action() + " failed: " + failure.code(), data);
        }

        static DemoAnswer refused(ApiException refusal) {
            return new DemoAnswer(LOCK_FAILED, refusal.getMessage(), Map.of("code", refusal.code()));
        }
    }

    @PostMapping(path = "/StartCloudGame", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "TrylockWorker then CreateSession, as the official demo does, on a session the gateway renews")
    DemoAnswer start(@RequestBody @Valid DemoStartRequest body, Principal user, HttpServletRequest request) {
        String userIp = clientAddress.userIp(request);
        CloudGames.Started started;
        try {
            started = games.startWithoutQueue(user.getName(), CloudPlay.Payment.byGateway(queues.resolve(null)),
                    body.toStart(), userIp);
        } catch (GsFailure failure) {
            return DemoAnswer.failed("CreateSession".equals(failure.action()) ? CREATE_FAILED : LOCK_FAILED, failure);
        } catch (ApiException refused) {
            if (refused.status().is5xxServerError()) {
                // An outage (the ledger, the database) is no lock failure: 503 with Retry-After, so clients retry.
                throw refused;
            }
            return DemoAnswer.refused(refused);
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("ServerSession", started.session().serverSession());
        data.put("Role", started.session().role());
        data.put("RequestId", started.session().requestId());
        return DemoAnswer.ok(data);
    }

    @PostMapping(path = "/StopCloudGame", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "StopGame for the authenticated user; the session that paid for the game ends")
    DemoAnswer stop(Principal user) {
        try {
            return DemoAnswer.ok(Map.of("RequestId", games.stop(user.getName())));
        } catch (GsFailure failure) {
            return DemoAnswer.failed(LOCK_FAILED, failure);
        }
    }
}
