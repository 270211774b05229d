package io.playbill.gateway.ledger;

import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.service.web.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Locale;

/** The HTTP answer to each reason the ledger refuses; the error code is the reason in lowercase. */
public final class LedgerRefusals {

    static final String LEDGER_ERROR = "ledger_error";
    static final String LEDGER_REFUSED = "ledger_refused";

    static ApiException toException(LedgerReply refusal) {
        LedgerError reason = refusal.errorCode();
        if (reason == null) {
            // A reason this gateway does not know yet (a newer ledger): still a refusal, which changed nothing. A
            // 5xx would say "outcome unknown" and invite a retry, which may then be accepted.
            return new ApiException(HttpStatus.CONFLICT, LEDGER_REFUSED, refusal.message() == null
                    || refusal.message().isBlank() ? "The ledger refused" : "The ledger refused: " + refusal.message());
        }
        String message = refusal.message() == null || refusal.message().isBlank()
                ? "The ledger refused: " + reason : refusal.message();
        return new ApiException(statusOf(reason), reason.name().toLowerCase(Locale.ROOT), message);
    }

    static HttpStatus statusOf(LedgerError reason) {
        return switch (reason) {
            case INVALID_REQUEST, UNKNOWN_QUEUE -> HttpStatus.BAD_REQUEST;
            case SESSION_NOT_FOUND, OWN_ACCOUNT -> HttpStatus.FORBIDDEN;
            case PARKED_ITEM_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case INSUFFICIENT_BALANCE -> HttpStatus.PAYMENT_REQUIRED;
            case TOO_MANY_SESSIONS, REFERENCE_CONFLICT, BALANCE_WOULD_BE_NEGATIVE, SESSION_OF_ANOTHER_USER,
                 QUEUE_MISMATCH, STILL_FAILING, PRICE_SUPERSEDED -> HttpStatus.CONFLICT;
        };
    }

    /** The ledger answered, but not in a way the gateway can use (it is newer, or broken). */
    public static ApiException unusableReply(String problem) {
        return new ApiException(HttpStatus.BAD_GATEWAY, LEDGER_ERROR, "The ledger's reply is unusable: " + problem);
    }

    private LedgerRefusals() {
    }
}
