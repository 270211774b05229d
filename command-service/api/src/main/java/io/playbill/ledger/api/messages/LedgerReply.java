package io.playbill.ledger.api.messages;

/**
 * The ledger's answer to one {@link LedgerRequest}.
 *
 * @param requestId the request answered
 * @param accepted  whether the ledger accepted it
 * @param errorCode a stable machine-readable reason when refused (see {@link LedgerError})
 * @param message   a human-readable reason when refused
 * @param balance   the balance after the request, when the request touched money
 * @param deadline  the deadline the ledger decided, for session requests that grant playtime
 * @param queue     the session's queue, for session requests: the queue the session was authorized on, which the
 *                  start token must name (never the queue a later request claims)
 */
public record LedgerReply(String requestId, boolean accepted, LedgerError errorCode, String message,
                          Long balance, Long deadline, String queue) {

    /** A refusal's message is cut at this many characters: a reply must always fit in a record. */
    public static final int MAX_MESSAGE_LENGTH = 1_000;

    public LedgerReply {
        if (message != null && message.length() > MAX_MESSAGE_LENGTH) {
            message = message.substring(0, MAX_MESSAGE_LENGTH) + "…";
        }
    }

    public static LedgerReply accepted(String requestId, Long balance, Long deadline, String queue) {
        return new LedgerReply(requestId, true, null, null, balance, deadline, queue);
    }

    public static LedgerReply refused(String requestId, LedgerError code, String message) {
        return new LedgerReply(requestId, false, code, message, null, null, null);
    }
}
