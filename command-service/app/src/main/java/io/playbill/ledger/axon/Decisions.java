package io.playbill.ledger.axon;

import io.playbill.ledger.domain.Answer;
import io.playbill.ledger.domain.Decision;
import org.axonframework.modelling.command.AggregateLifecycle;

/** How an aggregate carries out the domain's {@link Decision}: apply the events and answer, or refuse. */
final class Decisions {

    private Decisions() {
    }

    static Answer carryOut(Decision decision) {
        if (decision instanceof Decision.Refused refused) {
            throw new LedgerRefusal(refused);
        }
        Decision.Accepted accepted = (Decision.Accepted) decision;
        accepted.events().forEach(AggregateLifecycle::apply);
        return accepted.answer();
    }
}
