package io.playbill.ledger.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.account.LedgerRequestHandler;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads ledger requests in batches, decides each one, answers on the requester's reply topic, and commits the
 * batch's offsets only once every reply has been acknowledged by Kafka. A crash before that re-delivers the
 * batch; the ledger's idempotency (request references, cumulative charging) makes the second delivery harmless.
 */
@Component
class LedgerRequestListener {

    private static final Logger log = LoggerFactory.getLogger(LedgerRequestListener.class);

    private final LedgerRequestHandler handler;
    private final KafkaTemplate<String, byte[]> replies;
    private final ObjectMapper json;

    LedgerRequestListener(LedgerRequestHandler handler, KafkaTemplate<String, byte[]> replies, ObjectMapper json) {
        this.handler = handler;
        this.replies = replies;
        this.json = json;
    }

    @KafkaListener(topics = LedgerTopics.REQUESTS, concurrency = "${playbill.ledger.intake-concurrency:1}")
    void onRequests(List<ConsumerRecord<String, byte[]>> records, Acknowledgment ack) {
        List<CompletableFuture<?>> inFlight = new ArrayList<>(records.size());
        for (List<ConsumerRecord<String, byte[]>> userRecords : byUserInOrder(records).values()) {
            CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
            for (ConsumerRecord<String, byte[]> record : userRecords) {
                chain = chain.thenCompose(ignored -> decide(record)).thenCompose(reply -> sendReply(record, reply));
            }
            inFlight.add(chain);
        }
        // join() throws if any decision or reply failed: the batch is then re-delivered, not acknowledged.
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        ack.acknowledge();
    }

    /** One user's requests must be decided in their Kafka order; different users are independent. */
    private static Map<String, List<ConsumerRecord<String, byte[]>>> byUserInOrder(
            List<ConsumerRecord<String, byte[]>> records) {
        Map<String, List<ConsumerRecord<String, byte[]>>> byUser = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            byUser.computeIfAbsent(String.valueOf(record.key()), k -> new ArrayList<>()).add(record);
        }
        return byUser;
    }

    private CompletableFuture<LedgerReply> decide(ConsumerRecord<String, byte[]> record) {
        LedgerRequest request;
        try {
            request = json.readValue(record.value(), LedgerRequest.class);
        } catch (IOException | RuntimeException e) {
            log.warn("Unreadable ledger request at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return CompletableFuture.completedFuture(
                    LedgerReply.refused("unknown", LedgerError.INVALID_REQUEST, "Unreadable request"));
        }
        return handler.handle(request);
    }

    private CompletableFuture<?> sendReply(ConsumerRecord<String, byte[]> request, LedgerReply reply) {
        Header replyTopic = request.headers().lastHeader(LedgerHeaders.REPLY_TOPIC);
        Header correlation = request.headers().lastHeader(LedgerHeaders.CORRELATION_ID);
        if (replyTopic == null || correlation == null) {
            // A fire-and-forget request (e.g. replayed by an operator): the decision stands, nobody waits.
            return CompletableFuture.completedFuture(null);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                new String(replyTopic.value(), StandardCharsets.UTF_8), request.key(), toJson(reply));
        record.headers().add(LedgerHeaders.CORRELATION_ID, correlation.value());
        return replies.send(record);
    }

    private byte[] toJson(LedgerReply reply) {
        try {
            return json.writeValueAsBytes(reply);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize a ledger reply", e);
        }
    }
}
