package io.playbill.gateway.game;

import io.playbill.gateway.billing.SessionCall;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * The three token calls of the cloud-gaming SDK (token-spec §6) and stop. The user is the caller's JWT subject.
 * Each handler records the receive time first and returns a future, so no request thread waits for the ledger.
 */
@RestController
@RequestMapping(path = "/api/game", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "game", description = "Tokens for the cloud-gaming SDK")
class GameController {

    private final GameTokens tokens;
    private final Clock clock;

    GameController(GameTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @GetMapping("/authToken")
    @Operation(summary = "authToken: before the user queues; binds the session to the user when billing is on")
    CompletableFuture<TokenResponse> authToken(
            @RequestParam @Pattern(regexp = GameInput.SESSION_PATTERN, message = GameInput.SESSION_RULE)
            String session,
            @RequestParam(required = false) String queue,
            Principal user) {
        SessionCall call = new SessionCall(user.getName(), session, clock.millis());
        return tokens.authToken(call, queue).thenApply(TokenResponse::new);
    }

    @PostMapping(path = "/start", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "startToken: queueing is over; checks the session belongs to the user when billing is on")
    CompletableFuture<TokenResponse> start(@RequestBody @Valid StartRequest body, Principal user) {
        SessionCall call = new SessionCall(user.getName(), body.session(), clock.millis());
        return tokens.startToken(call, body.queue()).thenApply(TokenResponse::new);
    }

    @PostMapping(path = "/renew", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "renewToken: the billing heartbeat; the token's deadline is the playtime granted")
    CompletableFuture<TokenResponse> renew(@RequestBody @Valid RenewRequest body, Principal user) {
        SessionCall call = new SessionCall(user.getName(), body.session(), clock.millis());
        return tokens.renewToken(call, body.lastDeadline()).thenApply(TokenResponse::new);
    }

    @PostMapping(path = "/stop", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The user ended the session; billing closes it at this request's receive time")
    CompletableFuture<StopResponse> stop(@RequestBody @Valid StopRequest body, Principal user) {
        SessionCall call = new SessionCall(user.getName(), body.session(), clock.millis());
        return tokens.stop(call).thenApply(stopped -> new StopResponse(true));
    }
}
