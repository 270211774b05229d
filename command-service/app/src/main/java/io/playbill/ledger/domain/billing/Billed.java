package io.playbill.ledger.domain.billing;

import java.util.List;

/** A session's meter after a start or stop, and the charges that got it there (possibly none). */
public record Billed(Meter meter, List<Charge> charges) {

    public Billed {
        charges = List.copyOf(charges);
    }
}
