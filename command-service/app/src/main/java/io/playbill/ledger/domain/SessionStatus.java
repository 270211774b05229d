package io.playbill.ledger.domain;

/** Where a session is in its life: authorized → started → billing → ended. */
enum SessionStatus {
    /** authToken issued; the user may be queueing. */
    AUTHORIZED,
    /** startToken issued; the SDK's free 30 s run until the first renew. */
    STARTED,
    /** The first renew set t0; renews charge and extend the deadline. */
    BILLING,
    /** Stopped, balance exhausted or timed out; nothing more is granted or charged. */
    ENDED;

    boolean active() {
        return this != ENDED;
    }
}
