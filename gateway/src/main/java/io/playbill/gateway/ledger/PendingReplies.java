package io.playbill.gateway.ledger;

import io.playbill.ledger.api.messages.LedgerHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.listener.MessageListener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ledger requests of this instance waiting for their reply, by correlation id: one map entry per request, and a
 * timeout that is cancelled when the reply arrives ({@link CompletableFuture#orTimeout} removes its timer on
 * completion). Spring-kafka's {@code ReplyingKafkaTemplate} did the same matching but left a 5 s timer task queued
 * for every request, answered or not (decision 026).
 *
 * <p>It listens to this instance's partitions of the replies topic (decision 035). A reply that matches nothing is
 * dropped and counted ({@link #unmatched()}): a reply after its request's timeout, one to another instance's request
 * whose partition moved here, or one without a correlation id (or with an empty header).
 */
final class PendingReplies implements MessageListener<String, String> {

    private final ConcurrentMap<String, CompletableFuture<ConsumerRecord<String, String>>> waiting =
            new ConcurrentHashMap<>();
    private final LongAdder unmatched = new LongAdder();

    /**
     * Registers a request before it is sent. The future completes with the reply, or fails with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}; either way the entry is gone then.
     */
    CompletableFuture<ConsumerRecord<String, String>> expect(String correlationId, Duration timeout) {
        CompletableFuture<ConsumerRecord<String, String>> reply = new CompletableFuture<>();
        waiting.put(correlationId, reply);
        // What the caller gets completes only after the entry is gone.
        return reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((record, failure) -> waiting.remove(correlationId, reply));
    }

    /** The request could not be sent: it fails now instead of at its timeout. */
    void fail(String correlationId, Throwable failure) {
        CompletableFuture<ConsumerRecord<String, String>> reply = waiting.remove(correlationId);
        if (reply != null) {
            reply.completeExceptionally(failure);
        }
    }

    @Override
    public void onMessage(ConsumerRecord<String, String> record) {
        Header correlation = record.headers().lastHeader(LedgerHeaders.CORRELATION_ID);
        CompletableFuture<ConsumerRecord<String, String>> reply = correlation == null || correlation.value() == null
                ? null : waiting.remove(new String(correlation.value(), StandardCharsets.US_ASCII));
        if (reply != null) {
            reply.complete(record);
        } else {
            unmatched.increment();
        }
    }

    /** Replies read that no waiting request matched, since start. */
    long unmatched() {
        return unmatched.sum();
    }

    /** Requests still waiting; for tests and diagnostics. */
    int waiting() {
        return waiting.size();
    }
}
