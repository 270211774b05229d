package io.playbill.gateway.ledger;

import io.playbill.ledger.api.messages.LedgerHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Matching replies to the requests waiting for them, and forgetting each request once it is answered or late. */
class PendingRepliesTest {

    private final PendingReplies pending = new PendingReplies();

    @Test
    void aReplyCompletesItsRequestAndLeavesNothingBehind() {
        CompletableFuture<ConsumerRecord<String, String>> first = pending.expect("i-1", Duration.ofSeconds(30));
        CompletableFuture<ConsumerRecord<String, String>> second = pending.expect("i-2", Duration.ofSeconds(30));

        pending.onMessage(reply("i-2", "two"));

        assertThat(second.join().value()).isEqualTo("two");
        assertThat(first).isNotDone();
        assertThat(pending.waiting()).isEqualTo(1);
    }

    @Test
    void aRequestWithoutReplyFailsWithATimeoutAndIsForgotten() {
        CompletableFuture<ConsumerRecord<String, String>> reply = pending.expect("i-1", Duration.ofMillis(50));

        assertThatThrownBy(reply::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(pending.waiting()).isZero();
    }

    @Test
    void repliesToOtherInstancesAndRepliesWithoutCorrelationAreDroppedAndCounted() {
        CompletableFuture<ConsumerRecord<String, String>> mine = pending.expect("mine-1", Duration.ofSeconds(30));

        pending.onMessage(reply("theirs-1", "not mine"));
        pending.onMessage(new ConsumerRecord<>("playbill.ledger-replies", 0, 1, "user", "no headers"));
        ConsumerRecord<String, String> emptyHeader = new ConsumerRecord<>("playbill.ledger-replies", 0, 2, "user",
                "an empty correlation header");
        emptyHeader.headers().add(LedgerHeaders.CORRELATION_ID, null);
        pending.onMessage(emptyHeader);

        assertThat(mine).isNotDone();
        assertThat(pending.waiting()).isEqualTo(1);
        assertThat(pending.unmatched()).isEqualTo(3);
    }

    @Test
    void aRequestThatCouldNotBeSentFailsAtOnce() {
        CompletableFuture<ConsumerRecord<String, String>> reply = pending.expect("i-1", Duration.ofSeconds(30));

        pending.fail("i-1", new IllegalStateException("broker unreachable"));

        assertThatThrownBy(reply::join).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(pending.waiting()).isZero();
    }

    @Test
    void aSecondReplyToTheSameRequestChangesNothing() {
        CompletableFuture<ConsumerRecord<String, String>> reply = pending.expect("i-1", Duration.ofSeconds(30));

        pending.onMessage(reply("i-1", "first"));
        pending.onMessage(reply("i-1", "again"));

        assertThat(reply.join().value()).isEqualTo("first");
        assertThat(pending.waiting()).isZero();
        assertThat(pending.unmatched()).as("the second").isEqualTo(1);
    }

    private static ConsumerRecord<String, String> reply(String correlationId, String value) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("playbill.ledger-replies", 0, 0, "user", value);
        record.headers().add(LedgerHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.US_ASCII));
        return record;
    }
}
