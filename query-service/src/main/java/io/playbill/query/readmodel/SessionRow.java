package io.playbill.query.readmodel;

/** A session's row as stored, changed in memory by a batch and written back once. */
public final class SessionRow extends ReadModel.Row {

    public static final String AUTHORIZED = "authorized";
    public static final String STARTED = "started";
    public static final String BILLING = "billing";
    public static final String ENDED = "ended";

    private final Key key;
    String queue;
    String status;
    String billingMode;
    Long authorizedAt;
    Long startedAt;
    Long firstRenewAt;
    Long endedAt;
    String endReason;
    long billedSeconds;
    long chargedAmount;
    long deadline;
    long pricePerMinute;

    /** A session the store does not hold yet. */
    SessionRow(Key key) {
        super(-1);
        this.key = key;
    }

    /** A stored session: its key and last applied sequence; its columns follow through the named setters. */
    public SessionRow(Key key, long lastSequence) {
        super(lastSequence);
        this.key = key;
    }

    /** A row first seen through a later event (its authorization never arrived) still gets a queue and time. */
    void firstSeen(String eventQueue, long atMillis) {
        if (queue == null) {
            queue = eventQueue;
            status = AUTHORIZED;
            authorizedAt = atMillis;
        }
    }

    public SessionRow life(String queue, String status, String billingMode, Long authorizedAt, Long startedAt,
                           Long firstRenewAt, Long endedAt, String endReason) {
        this.queue = queue;
        this.status = status;
        this.billingMode = billingMode;
        this.authorizedAt = authorizedAt;
        this.startedAt = startedAt;
        this.firstRenewAt = firstRenewAt;
        this.endedAt = endedAt;
        this.endReason = endReason;
        return this;
    }

    public SessionRow billing(long billedSeconds, long chargedAmount, long deadline, long pricePerMinute) {
        this.billedSeconds = billedSeconds;
        this.chargedAmount = chargedAmount;
        this.deadline = deadline;
        this.pricePerMinute = pricePerMinute;
        return this;
    }

    public Key key() {
        return key;
    }

    public String queue() {
        return queue;
    }

    public String status() {
        return status;
    }

    public String billingMode() {
        return billingMode;
    }

    public Long authorizedAt() {
        return authorizedAt;
    }

    public Long startedAt() {
        return startedAt;
    }

    public Long firstRenewAt() {
        return firstRenewAt;
    }

    public Long endedAt() {
        return endedAt;
    }

    public String endReason() {
        return endReason;
    }

    public long billedSeconds() {
        return billedSeconds;
    }

    public long chargedAmount() {
        return chargedAmount;
    }

    /** The last deadline given, seconds from the first renew. */
    public long deadline() {
        return deadline;
    }

    public long pricePerMinute() {
        return pricePerMinute;
    }

    /** A session of a user. */
    public record Key(String userId, String sessionId) {
    }
}
