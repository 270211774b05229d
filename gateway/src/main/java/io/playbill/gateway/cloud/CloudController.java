package io.playbill.gateway.cloud;

import io.playbill.gateway.cloud.gs.GsFailure;
import io.playbill.gateway.game.GameQueues;
import io.playbill.service.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.security.Principal;
import java.util.function.Supplier;

/**
 * Cloud games for the authenticated user (GS UserId = the token's {@code sub}): start (or queue), stop, and the
 * queue place. Calls block while GS answers, within the configured timeouts and retries.
 */
@RestController
@ConditionalOnProperty(prefix = CloudProperties.PREFIX, name = "enabled", havingValue = "true")
@RequestMapping(path = "/api/cloud", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "cloud", description = "Cloud games through Tencent Cloud GS, with a queue when no worker is idle")
class CloudController {

    static final URI QUEUE = URI.create("/api/cloud/queue");

    private final CloudPlay games;
    private final CloudProperties settings;
    private final GameQueues queues;
    private final ClientAddress clientAddress;

    CloudController(CloudPlay games, CloudProperties settings, GameQueues queues, ClientAddress clientAddress) {
        this.games = games;
        this.settings = settings;
        this.queues = queues;
        this.clientAddress = clientAddress;
    }

    @PostMapping(path = "/start", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a cloud game paid by a ledger session: 200 {serverSession}, or 202 with the queue "
            + "place when no worker is idle; 402/403/409 when no paid session allows it")
    @ApiResponse(responseCode = "200", description = "started; pass serverSession to the SDK's start",
            content = @Content(schema = @Schema(implementation = CloudResponses.Started.class)))
    @ApiResponse(responseCode = "202", description = "queued; poll GET /api/cloud/queue",
            content = @Content(schema = @Schema(implementation = QueueResponse.class)))
    ResponseEntity<Object> start(@RequestBody @Valid CloudStartRequest body, Principal user,
                                 HttpServletRequest request) {
        if (body.session() != null && body.queue() != null) {
            // The session pays at the queue it was authorized on: a queue named beside it would be ignored unseen.
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_queue", "queue: only without session (it is the"
                    + " queue of a session the gateway opens); the session named pays at the queue it was authorized"
                    + " on");
        }
        String userIp = clientAddress.userIp(request);
        CloudPlay.Payment payment = body.session() != null ? CloudPlay.Payment.bySdkSession(body.session())
                : CloudPlay.Payment.byGateway(queues.resolve(body.queue()));
        CloudGames.StartOutcome outcome = mapped(() -> games.start(user.getName(), payment, body.toStart(), userIp));
        if (outcome instanceof CloudGames.Started started) {
            return ResponseEntity.ok(new CloudResponses.Started(started.session().serverSession()));
        }
        CloudGames.Queued queued = (CloudGames.Queued) outcome;
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(QUEUE)
                .body(QueueResponse.of(queued.standing(), settings.queue().entryTtl()));
    }

    @PostMapping("/stop")
    @Operation(summary = "Stop the user's cloud game (StopGame), end the session that paid for it, leave any queue")
    CloudResponses.Stopped stop(Principal user) {
        mapped(() -> games.stop(user.getName()));
        return new CloudResponses.Stopped(true);
    }

    @GetMapping("/queue")
    @Operation(summary = "The user's queue place: waiting (position), ready (call start again) or failed")
    QueueResponse queue(Principal user) {
        return games.poll(user.getName())
                .map(standing -> QueueResponse.of(standing, settings.queue().entryTtl()))
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "not_queued",
                        "The user has no queue place (never queued, started, cancelled or expired)"));
    }

    @DeleteMapping("/queue")
    @Operation(summary = "Leave the queue; a worker already locked for the user is released")
    CloudResponses.Cancelled cancel(Principal user) {
        return new CloudResponses.Cancelled(games.cancel(user.getName()));
    }

    private static <T> T mapped(Supplier<T> call) {
        try {
            return call.get();
        } catch (GsFailure failure) {
            throw CloudErrors.of(failure);
        }
    }
}
