package io.playbill.gateway.ledger;

import io.playbill.gateway.support.UnderModeGatewayTest;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the gateway sends ledger requests: at once (no linger), and with cheap ids. */
class LedgerProducerTest extends UnderModeGatewayTest {

    @Autowired
    private ProducerFactory<String, String> ledgerProducerFactory;
    @Autowired
    private KafkaTemplate<String, String> ledgerRequests;
    @Autowired
    private Ledger kafkaLedger;

    @Test
    void requestsDoNotLingerByDefault() {
        assertThat(ledgerProducerFactory.getConfigurationProperties().get(ProducerConfig.LINGER_MS_CONFIG))
                .isEqualTo(0);
    }

    @Test
    void aLingerBeyondOneHundredMillisecondsIsRefused() {
        assertThatThrownBy(() -> new LedgerProperties(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMillis(101), null))
                .hasMessageContaining("playbill.ledger.linger must be between 0 and 100 ms");
        assertThatThrownBy(() -> new LedgerProperties(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMillis(-1), null))
                .hasMessageContaining("playbill.ledger.linger must be between 0 and 100 ms");
    }

    @Test
    void aReplyMemberIdIsAPlainNameOrNone() {
        assertThat(new LedgerProperties(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO, "gateway-2")
                .replyMemberId()).isEqualTo("gateway-2");
        for (String bad : new String[] {"", "two words", "x".repeat(65), "gate\nway"}) {
            assertThatThrownBy(() -> new LedgerProperties(Duration.ofSeconds(5), Duration.ofSeconds(5),
                    Duration.ZERO, bad)).as(bad)
                    .hasMessageContaining("playbill.ledger.reply-member-id must be 1 to 64 letters");
        }
    }

    @Test
    void anInstanceThatReadsNoReplyPartitionSendsNothingAndAnswersUnavailableAtOnce() throws Exception {
        Ledger unread = new KafkaLedger(ledgerRequests, new PendingReplies(), new ReplyPartitionAssignment(),
                new RequestIds(), Duration.ofSeconds(30), Duration.ofSeconds(5));

        CompletableFuture<LedgerReply> refused = unread.submit("player-unread", 1_000,
                new LedgerOperation.StopSession("s-unread"), Actor.player("player-unread"));

        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).hasCauseInstanceOf(LedgerUnavailableException.class);
        // A request this instance does send arrives, and it is the only one.
        kafkaLedger.submit("player-read", 1_000, new LedgerOperation.StopSession("s-read"), Actor.player("player-read"));
        assertThat(ledger.nextRequest().key()).isEqualTo("player-read");
        assertThat(ledger.drain()).isEmpty();
    }

    @Test
    void requestIdsDifferWithinAnInstanceAndAcrossInstances() {
        RequestIds first = new RequestIds();
        RequestIds second = new RequestIds();
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < 1_000; i++) {
            assertThat(seen.add(first.next())).isTrue();
            assertThat(seen.add(second.next())).isTrue();
        }
    }
}
