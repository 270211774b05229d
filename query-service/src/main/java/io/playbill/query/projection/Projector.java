package io.playbill.query.projection;

import java.util.List;

/**
 * Writes one batch of events into a projection's tables. Called once per processor batch, inside the transaction
 * that also stores the processor's token, so rows and token commit together. Events come in topic order (one
 * user's events in their sequence order) and may repeat earlier ones: every projector ignores an event whose
 * sequence its user's row has already applied.
 */
public interface Projector {

    void apply(List<LedgerEvent> events);
}
