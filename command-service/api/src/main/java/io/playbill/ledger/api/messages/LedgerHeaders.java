package io.playbill.ledger.api.messages;

/**
 * Kafka record headers of the request/reply exchange. The names are spring-kafka's request-reply headers, so
 * the gateway can use {@code ReplyingKafkaTemplate} and the ledger answers without Spring-specific code.
 *
 * <p>Records carry UTF-8 JSON values ({@link LedgerRequest}, {@link LedgerReply}) and the user id as key.
 */
public final class LedgerHeaders {

    /** Bytes chosen by the requester; the ledger copies them onto the reply unchanged. */
    public static final String CORRELATION_ID = "kafka_correlationId";

    /** The topic the requester reads replies from (UTF-8); the ledger replies there. */
    public static final String REPLY_TOPIC = "kafka_replyTopic";

    private LedgerHeaders() {
    }
}
