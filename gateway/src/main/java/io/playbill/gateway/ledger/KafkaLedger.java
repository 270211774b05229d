package io.playbill.gateway.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The ledger over Kafka: a {@link LedgerRequest} on {@link LedgerTopics#REQUESTS} keyed by user id (so one
 * user's requests stay in order), carrying the reply topic, the reply partition this instance reads and a
 * correlation id in spring-kafka's request-reply headers, answered by a {@link LedgerReply} that
 * {@link PendingReplies} matches by that id. Nothing blocks while waiting: the returned future completes on the
 * reply consumer's thread.
 */
final class KafkaLedger implements Ledger {

    private static final Logger log = LoggerFactory.getLogger(KafkaLedger.class);

    private static final byte[] REPLY_TOPIC = LedgerTopics.REPLIES.getBytes(StandardCharsets.UTF_8);

    private final KafkaTemplate<String, String> kafka;
    private final PendingReplies replies;
    private final ReplyPartitionAssignment replyPartitions;
    private final RequestIds requestIds;
    private final Duration timeout;
    private final Duration retryAfter;
    /**
     * The record values' JSON, apart from Spring's HTTP ObjectMapper: reply fields the ledger adds later are
     * ignored, and so is a refusal's reason it adds later (read as none: a newer ledger during an upgrade), so the
     * refusal is still answered as one; no HTTP setting changes the wire.
     */
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .build();

    KafkaLedger(KafkaTemplate<String, String> kafka, PendingReplies replies, ReplyPartitionAssignment replyPartitions,
                RequestIds requestIds, Duration timeout, Duration retryAfter) {
        this.kafka = kafka;
        this.replies = replies;
        this.replyPartitions = replyPartitions;
        this.requestIds = requestIds;
        this.timeout = timeout;
        this.retryAfter = retryAfter;
    }

    @Override
    public CompletableFuture<LedgerReply> submit(String userId, long receivedAtMillis, LedgerOperation operation,
                                                 Actor actor) {
        LedgerRequest request = new LedgerRequest(requestIds.next(), userId, receivedAtMillis, operation,
                actor);
        String kind = operation.getClass().getSimpleName();
        ProducerRecord<String, String> record = new ProducerRecord<>(LedgerTopics.REQUESTS, userId,
                write(request));
        record.headers().add(LedgerHeaders.REPLY_TOPIC, REPLY_TOPIC)
                .add(LedgerHeaders.CORRELATION_ID, request.requestId().getBytes(StandardCharsets.US_ASCII));
        CompletableFuture<ConsumerRecord<String, String>> reply = replies.expect(request.requestId(), timeout);
        send(record, request.requestId());
        return reply.handle((answer, failure) -> {
            if (failure != null) {
                log.warn("No ledger reply to {} request {}: {}", kind, request.requestId(),
                        failure instanceof TimeoutException ? "none within " + timeout.toMillis() + " ms"
                                : failure.getMessage());
                throw new LedgerUnavailableException(retryAfter);
            }
            return acceptedReply(request, readReply(answer.value()));
        });
    }

    /** Sends the request to be answered on this instance's reply partition; a failure fails its reply at once. */
    private void send(ProducerRecord<String, String> record, String requestId) {
        byte[] replyPartition = replyPartitions.replyPartitionHeader();
        if (replyPartition == null) {
            // Nobody here would read the reply: the request is not sent, so nothing is decided unanswered.
            replies.fail(requestId, new IllegalStateException("this instance reads no reply partition"
                    + " (Kafka unreachable, or more gateway instances than reply partitions)"));
            return;
        }
        record.headers().add(LedgerHeaders.REPLY_PARTITION, replyPartition);
        try {
            kafka.send(record).whenComplete((sent, failure) -> {
                if (failure != null) {
                    replies.fail(requestId, failure);
                }
            });
        } catch (KafkaException e) {
            replies.fail(requestId, e);
        }
    }

    private String write(LedgerRequest request) {
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a ledger request", e);
        }
    }

    private LedgerReply readReply(String value) {
        if (value == null) {
            throw LedgerRefusals.unusableReply("it is empty");
        }
        try {
            return json.readValue(value, LedgerReply.class);
        } catch (JsonProcessingException e) {
            throw LedgerRefusals.unusableReply("not a LedgerReply (" + e.getOriginalMessage() + ")");
        }
    }

    private static LedgerReply acceptedReply(LedgerRequest request, LedgerReply reply) {
        if (!request.requestId().equals(reply.requestId())) {
            throw LedgerRefusals.unusableReply("it answers request " + reply.requestId() + ", not "
                    + request.requestId());
        }
        if (!reply.accepted()) {
            throw LedgerRefusals.toException(reply);
        }
        return reply;
    }
}
