package io.playbill.query.audit.rules;

/** One account's findings about the ledger's own records (no projection concerned). */
record AccountFindings(Findings findings, String user) {

    void mismatch(String kind, AuditEvent event, String message) {
        findings.mismatch(kind, user, null, event, message);
    }

    void invariant(String kind, AuditEvent event, String message) {
        findings.invariant(kind, user, event, message);
    }
}
