package io.playbill.gateway.ledger;

import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The ledger over Kafka: a {@link LedgerRequest} on {@link LedgerTopics#REQUESTS} keyed by user id (so one
 * user's requests stay in order), answered by a {@link LedgerReply} that {@link ReplyingKafkaTemplate} matches
 * by correlation id. Nothing blocks while waiting: the returned future completes on the reply consumer's thread.
 */
final class KafkaLedger implements Ledger {

    private static final Logger log = LoggerFactory.getLogger(KafkaLedger.class);

    private final ReplyingKafkaTemplate<String, String, String> kafka;
    private final Duration retryAfter;
    private final LedgerJson json = new LedgerJson();

    KafkaLedger(ReplyingKafkaTemplate<String, String, String> kafka, Duration retryAfter) {
        this.kafka = kafka;
        this.retryAfter = retryAfter;
    }

    @Override
    public CompletableFuture<LedgerReply> submit(String userId, long receivedAtMillis, LedgerOperation operation,
                                                 Actor actor) {
        LedgerRequest request = new LedgerRequest(UUID.randomUUID().toString(), userId, receivedAtMillis, operation,
                actor);
        String kind = operation.getClass().getSimpleName();
        CompletableFuture<ConsumerRecord<String, String>> reply;
        try {
            reply = kafka.sendAndReceive(new ProducerRecord<>(LedgerTopics.REQUESTS, userId, json.write(request)));
        } catch (KafkaException e) {
            log.warn("Could not send {} request {}: {}", kind, request.requestId(), e.getMessage());
            return CompletableFuture.failedFuture(new LedgerUnavailableException(retryAfter));
        }
        return reply.handle((record, failure) -> {
            if (failure != null) {
                log.warn("No ledger reply to {} request {}: {}", kind, request.requestId(), failure.getMessage());
                throw new LedgerUnavailableException(retryAfter);
            }
            return acceptedReply(request, json.readReply(record.value()));
        });
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
