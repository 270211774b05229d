package io.playbill.ledger.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The events a decision emits, and the account as they leave it: each emitted event is evolved at once, so a later
 * event of the same decision (a charge's balance after, a session's end totals) is computed from the state the
 * earlier ones made, exactly as a replay will compute it.
 */
final class Changes {

    private final List<Object> events = new ArrayList<>();
    private Account account;

    Changes(Account account) {
        this.account = account;
    }

    Account account() {
        return account;
    }

    void emit(Object event) {
        events.add(event);
        account = account.evolve(event);
    }

    Decision accepted(Answer answer) {
        return new Decision.Accepted(events, answer);
    }
}
