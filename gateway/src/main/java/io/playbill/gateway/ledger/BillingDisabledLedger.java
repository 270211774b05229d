package io.playbill.gateway.ledger;

import io.playbill.gateway.billing.BillingModeCondition;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.service.web.ApiException;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;

/**
 * Billing mode none has no ledger: balances and prices do not exist, so the admin operations answer
 * 409 {@code billing_disabled} (the request is valid, this deployment's state rules it out).
 */
@Component
@Conditional(BillingModeCondition.Off.class)
final class BillingDisabledLedger implements Ledger {

    @Override
    public CompletableFuture<LedgerReply> submit(String userId, long receivedAtMillis, LedgerOperation operation,
                                                 Actor actor) {
        return CompletableFuture.failedFuture(new ApiException(HttpStatus.CONFLICT, "billing_disabled",
                "Billing is off (playbill.billing.mode=none): there are no balances or prices"));
    }
}
