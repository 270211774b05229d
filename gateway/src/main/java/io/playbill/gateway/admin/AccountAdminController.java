package io.playbill.gateway.admin;

import io.playbill.gateway.ledger.Ledger;
import io.playbill.gateway.ledger.LedgerRefusals;
import io.playbill.gateway.security.Callers;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.CleanText;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.service.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Money on a user's prepaid account; role {@code admin} or {@code finance} (see SecurityConfiguration). Each
 * operation goes to the ledger keyed by the target user, and answers the balance after it.
 */
@RestController
@RequestMapping(path = "/api/admin/accounts/{userId}", produces = MediaType.APPLICATION_JSON_VALUE,
        consumes = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin: accounts", description = "Deposits, refunds and adjustments (role admin or finance)")
class AccountAdminController {

    private static final Logger log = LoggerFactory.getLogger(AccountAdminController.class);

    private final Ledger ledger;
    private final Clock clock;

    AccountAdminController(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @PostMapping("/deposits")
    @Operation(summary = "Credit the user's balance")
    CompletableFuture<BalanceResponse> deposit(@PathVariable @UserIdParam String userId,
                                               @RequestBody @Valid DepositRequest body, Principal admin) {
        return apply(userId, new LedgerOperation.Deposit(body.amount(), body.reference()), admin);
    }

    @PostMapping("/refunds")
    @Operation(summary = "Pay money back out of the user's balance; never below zero")
    CompletableFuture<BalanceResponse> refund(@PathVariable @UserIdParam String userId,
                                              @RequestBody @Valid RefundRequest body, Principal admin) {
        return apply(userId, new LedgerOperation.Refund(body.amount(), body.reference(), body.reason()), admin);
    }

    @PostMapping("/adjustments")
    @Operation(summary = "Correct the user's balance by a positive or negative amount; never below zero")
    CompletableFuture<BalanceResponse> adjust(@PathVariable @UserIdParam String userId,
                                              @RequestBody @Valid AdjustmentRequest body, Principal admin) {
        if (body.amount() == 0) {
            throw ApiException.invalidField("amount", "amount must not be zero");
        }
        return apply(userId, new LedgerOperation.Adjust(body.amount(), body.reference(), body.reason()), admin);
    }

    /**
     * Nobody moves money on their own account, whatever their roles (the ledger refuses it too). The ledger records
     * who asked on the event; the log line is for operators and never carries the reason's raw text.
     */
    private CompletableFuture<BalanceResponse> apply(String userId, LedgerOperation operation, Principal caller) {
        long receivedAt = clock.millis();
        if (userId.equals(caller.getName())) {
            throw new ApiException(HttpStatus.FORBIDDEN, "own_account",
                    "Nobody moves money on their own account; ask a colleague");
        }
        Actor actor = Callers.actorOf(caller);
        log.info("{} {} asks {} for account {}", actor.userId(), actor.roles(),
                CleanText.forLog(operation.toString()), userId);
        return ledger.submit(userId, receivedAt, operation, actor).thenApply(AccountAdminController::balanceOf);
    }

    private static BalanceResponse balanceOf(LedgerReply reply) {
        if (reply.balance() == null) {
            throw LedgerRefusals.unusableReply("a money operation was accepted without a balance");
        }
        return new BalanceResponse(reply.balance());
    }
}
