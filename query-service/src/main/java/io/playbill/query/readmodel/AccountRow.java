package io.playbill.query.readmodel;

/** A user's account row as stored, changed in memory by a batch and written back once. */
public final class AccountRow extends ReadModel.Row {

    private final String userId;
    long balance;
    long playtime;
    int activeSessions;
    Long openedAt;

    public AccountRow(String userId, long balance, long playtime, int activeSessions, Long openedAt,
                      long lastSequence) {
        super(lastSequence);
        this.userId = userId;
        this.balance = balance;
        this.playtime = playtime;
        this.activeSessions = activeSessions;
        this.openedAt = openedAt;
    }

    public String userId() {
        return userId;
    }

    public long balance() {
        return balance;
    }

    /** Billed seconds in all queues. */
    public long playtime() {
        return playtime;
    }

    public int activeSessions() {
        return activeSessions;
    }

    public Long openedAt() {
        return openedAt;
    }
}
