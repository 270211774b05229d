package io.playbill.ledger.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.axon.LedgerCommands;
import io.playbill.ledger.expiry.ParkedExpiries;
import io.playbill.ledger.publishing.PublisherDeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A reply the broker refuses for good for that record alone (too large, invalid) is that request's own fault: the
 * batch completes without it. A reply that could not be sent now (broker down), or that failed for a reason of the
 * broker or producer (which every other reply would meet too), fails the batch, which is then delivered again.
 */
class ReplySendFailuresTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    @SuppressWarnings("unchecked")
    private final KafkaTemplate<String, byte[]> replies = mock(KafkaTemplate.class);
    private final LedgerRequestListener listener = new LedgerRequestListener(mock(LedgerCommands.class), replies,
            new ObjectMapper(), new TransactionTemplate(mock(PlatformTransactionManager.class)), meters,
            new ReplyTopics(Set.of(LedgerTopics.REPLIES)), mock(ParkedRequests.class), mock(ParkedExpiries.class),
            mock(PublisherDeadLetters.class), mock(ParkedResolutions.class), new RefusedRequests(mock(JdbcTemplate.class)), 3,
            Duration.ofMinutes(1));

    @Test
    void aReplyNoRecordCanHoldIsCountedAndTheBatchCompletesWithoutIt() {
        List<RuntimeException> ownFaults = List.of(new RecordTooLargeException("too large"),
                new RecordBatchTooLargeException("too large"), new InvalidRecordException("invalid"),
                new InvalidTopicException("invalid"));
        for (RuntimeException ownFault : ownFaults) {
            when(replies.send(anyRecord())).thenReturn(failed(ownFault));

            listener.onRequests(List.of(unreadable(0, "c1"), unreadable(1, "c2")));
        }

        verify(replies, times(2 * ownFaults.size())).send(anyRecord());
        assertThat(meters.get("playbill.ledger.intake.unanswered").counter().count())
                .isEqualTo(2 * ownFaults.size());
    }

    @Test
    void aReplyTheBrokerCouldNotTakeForNowOrForAnyRecordFailsTheBatch() {
        for (RuntimeException outage : List.of(new TimeoutException("Expiring 1 record(s)"),
                new TopicAuthorizationException(Set.of(LedgerTopics.REPLIES)),
                new UnknownServerException("broker failed"), new OutOfOrderSequenceException("out of order"),
                new InvalidProducerEpochException("fenced"))) {
            when(replies.send(anyRecord())).thenReturn(failed(outage));

            assertThatThrownBy(() -> listener.onRequests(List.of(unreadable(0, "c1"))))
                    .isInstanceOf(CompletionException.class).hasRootCause(outage);
        }
    }

    @Test
    void aRequestWithACorrelationIdOrKeyNoReplyMayEchoIsDroppedUndecidedAndUnanswered() {
        ConsumerRecord<String, byte[]> longKey = new ConsumerRecord<>(LedgerTopics.REQUESTS, 0, 0, "k".repeat(256),
                "x".getBytes(StandardCharsets.UTF_8));
        longKey.headers().add(LedgerHeaders.REPLY_TOPIC, LedgerTopics.REPLIES.getBytes(StandardCharsets.UTF_8));
        longKey.headers().add(LedgerHeaders.CORRELATION_ID, "c".getBytes(StandardCharsets.UTF_8));

        listener.onRequests(List.of(unreadable(1, "c".repeat(256)), longKey));

        verify(replies, never()).send(anyRecord());
        assertThat(meters.get("playbill.ledger.intake.refused").tag("reason", "key_or_correlation_too_long")
                .counter().count()).isEqualTo(2);
    }

    private static ConsumerRecord<String, byte[]> unreadable(long offset, String correlation) {
        var record = new ConsumerRecord<>(LedgerTopics.REQUESTS, 0, offset, "alice",
                "x".getBytes(StandardCharsets.UTF_8));
        record.headers().add(LedgerHeaders.REPLY_TOPIC, LedgerTopics.REPLIES.getBytes(StandardCharsets.UTF_8));
        record.headers().add(LedgerHeaders.CORRELATION_ID, correlation.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static ProducerRecord<String, byte[]> anyRecord() {
        return any();
    }

    /** What KafkaTemplate answers when the producer failed the send. */
    private static CompletableFuture<SendResult<String, byte[]>> failed(RuntimeException cause) {
        return CompletableFuture.failedFuture(new KafkaProducerException(null, "Failed to send", cause));
    }
}
