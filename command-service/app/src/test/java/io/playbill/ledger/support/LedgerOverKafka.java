package io.playbill.ledger.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway's side of the ledger contract on the real broker, for tests: a request on
 * {@link LedgerTopics#REQUESTS} with the request-reply headers, and its reply read from {@link LedgerTopics#REPLIES}.
 */
public final class LedgerOverKafka implements AutoCloseable {

    private final ObjectMapper json;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> replies;

    public LedgerOverKafka(String bootstrapServers, ObjectMapper json) {
        this.json = json;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
        replies = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        replies.subscribe(List.of(LedgerTopics.REPLIES));
    }

    /** A request as the gateway sends it: keyed by the user, from the player or an admin (see {@link TestActors}). */
    public LedgerReply request(String user, long receivedAtMillis, LedgerOperation operation) {
        return request(user, new LedgerRequest(UUID.randomUUID().toString(), user, receivedAtMillis, operation,
                TestActors.of(user, operation)));
    }

    /**
     * Sends a request as {@link #request(String, long, LedgerOperation)} does, without waiting for its reply.
     *
     * @return its request id, to wait for the reply with {@link #replyTo}
     */
    public String send(String user, long receivedAtMillis, LedgerOperation operation) {
        var request = new LedgerRequest(UUID.randomUUID().toString(), user, receivedAtMillis, operation,
                TestActors.of(user, operation));
        send(user, request, LedgerTopics.REPLIES);
        return request.requestId();
    }

    /** Sends {@code request} under {@code key}, asking for the reply on {@code replyTopic}, without waiting. */
    public void send(String key, LedgerRequest request, String replyTopic) {
        try {
            send(key, json.writeValueAsBytes(request), request.requestId(), replyTopic, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any request under any key: what a producer other than the gateway could send. */
    public LedgerReply request(String key, LedgerRequest request) {
        try {
            return request(key, json.writeValueAsBytes(request), request.requestId());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request as {@link #request(String, long, LedgerOperation)} sends it, with {@code replyPartition} as its
     * {@link LedgerHeaders#REPLY_PARTITION} header's bytes; the reply record, to see where it was sent.
     */
    public ConsumerRecord<String, byte[]> requestWithReplyPartition(String user, long receivedAtMillis,
                                                                    LedgerOperation operation, byte[] replyPartition) {
        var request = new LedgerRequest(UUID.randomUUID().toString(), user, receivedAtMillis, operation,
                TestActors.of(user, operation));
        try {
            send(user, json.writeValueAsBytes(request), request.requestId(), LedgerTopics.REPLIES, replyPartition);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return replyRecordTo(request.requestId());
    }

    /** Raw bytes under {@code key}, answered under {@code correlationId}. */
    public LedgerReply request(String key, byte[] body, String correlationId) {
        send(key, body, correlationId, LedgerTopics.REPLIES, null);
        return replyTo(correlationId);
    }

    /** @param replyPartition the reply partition header's bytes; null: no such header */
    private void send(String key, byte[] body, String correlationId, String replyTopic, byte[] replyPartition) {
        var record = new ProducerRecord<>(LedgerTopics.REQUESTS, key, body);
        record.headers().add(LedgerHeaders.REPLY_TOPIC, replyTopic.getBytes(StandardCharsets.UTF_8));
        record.headers().add(LedgerHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
        if (replyPartition != null) {
            record.headers().add(LedgerHeaders.REPLY_PARTITION, replyPartition);
        }
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reply to the request {@code correlationId}, waited for up to 30 s. */
    public LedgerReply replyTo(String correlationId) {
        try {
            return json.readValue(replyRecordTo(correlationId).value(), LedgerReply.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ConsumerRecord<String, byte[]> replyRecordTo(String correlationId) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            for (ConsumerRecord<String, byte[]> reply : replies.poll(Duration.ofMillis(200))) {
                String correlation = new String(reply.headers().lastHeader(LedgerHeaders.CORRELATION_ID).value(),
                        StandardCharsets.UTF_8);
                if (correlation.equals(correlationId)) {
                    return reply;
                }
            }
        }
        throw new AssertionError("No reply to request " + correlationId + " within 30 s");
    }

    @Override
    public void close() {
        producer.close();
        replies.close();
    }
}
