package io.playbill.ledger.api.messages;

import java.nio.ByteBuffer;
import java.util.OptionalInt;

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

    /**
     * The partition of the reply topic the requester reads (a 4-byte big-endian int, as spring-kafka writes it);
     * the ledger replies there when the topic has that partition, and otherwise lets Kafka choose by user (decision
     * 035).
     */
    public static final String REPLY_PARTITION = "kafka_replyPartition";

    private LedgerHeaders() {
    }

    /** The {@link #REPLY_PARTITION} header's value for {@code partition}. */
    public static byte[] replyPartition(int partition) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(partition).array();
    }

    /** The partition a {@link #REPLY_PARTITION} header names; empty when it is missing or not four bytes. */
    public static OptionalInt replyPartition(byte[] value) {
        return value == null || value.length != Integer.BYTES ? OptionalInt.empty()
                : OptionalInt.of(ByteBuffer.wrap(value).getInt());
    }
}
