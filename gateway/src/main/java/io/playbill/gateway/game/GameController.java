package io.playbill.gateway.game;

import io.playbill.gateway.billing.SessionBilling;
import io.playbill.gateway.token.TokenSigner;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
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
 * Billing decides first, and only its positive decision is signed.
 */
@RestController
@RequestMapping(path = "/api/game", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "game", description = "Tokens for the cloud-gaming SDK")
class GameController {

    private final SessionBilling billing;
    private final TokenSigner signer;
    private final GameQueues queues;
    private final Clock clock;

    GameController(SessionBilling billing, TokenSigner signer, GameQueues queues, Clock clock) {
        this.billing = billing;
        this.signer = signer;
        this.queues = queues;
        this.clock = clock;
    }

    @GetMapping("/authToken")
    @Operation(summary = "authToken: before the user queues; binds the session to the user when billing is on")
    CompletableFuture<TokenResponse> authToken(
            @RequestParam @Parameter(schema = @Schema(pattern = GameInput.SESSION_PATTERN)) String session,
            @RequestParam(required = false) String queue,
            Principal user) {
        long receivedAt = clock.millis();
        // Checked here, not by a constraint on the parameter: Spring MVC's method validation would look up the
        // validation groups of this method on every call (spring-framework#36274).
        GameInput.requireSession(session);
        // Signs the queue billing bound the session to.
        return billing.authorize(user.getName(), receivedAt,
                        new LedgerOperation.AuthorizeSession(session, queues.resolve(queue)))
                .thenApply(bound -> new TokenResponse(signer.authToken(user.getName(), bound, session)));
    }

    @PostMapping(path = "/start", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "startToken: queueing is over; checks the session belongs to the user when billing is on")
    CompletableFuture<TokenResponse> start(@RequestBody @Valid StartRequest body, Principal user) {
        long receivedAt = clock.millis();
        // The session's queue as billing knows it, never the request's (a start naming another is refused);
        // without billing (mode none), the named or default queue.
        String requested = body.queue() == null ? null : queues.resolve(body.queue());
        return billing.start(user.getName(), receivedAt, new LedgerOperation.StartSession(body.session(), requested))
                .thenApply(sessionQueue -> new TokenResponse(signer.startToken(body.session(),
                        sessionQueue != null ? sessionQueue : queues.resolve(requested))));
    }

    @PostMapping(path = "/renew", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "renewToken: the billing heartbeat; the token's deadline is the playtime granted")
    CompletableFuture<TokenResponse> renew(@RequestBody @Valid RenewRequest body, Principal user) {
        long receivedAt = clock.millis();
        return billing.renew(user.getName(), receivedAt,
                        new LedgerOperation.RenewSession(body.session(), body.lastDeadline()))
                .thenApply(deadline -> new TokenResponse(signer.renewToken(body.session(), deadline)));
    }

    @PostMapping(path = "/stop", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The user ended the session; billing closes it at this request's receive time")
    CompletableFuture<StopResponse> stop(@RequestBody @Valid StopRequest body, Principal user) {
        long receivedAt = clock.millis();
        return billing.stop(user.getName(), receivedAt, new LedgerOperation.StopSession(body.session()))
                .thenApply(stopped -> new StopResponse(true));
    }
}
