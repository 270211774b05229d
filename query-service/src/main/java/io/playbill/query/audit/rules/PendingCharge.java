package io.playbill.query.audit.rules;

import io.playbill.ledger.api.events.PlaytimeCharged;

/** A charge waiting for the renew or stop that follows it, which it belongs to. */
record PendingCharge(AuditEvent event, PlaytimeCharged charge) {

    String session() {
        return charge.session();
    }
}
