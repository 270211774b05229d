package io.playbill.gateway.ledger;

import io.playbill.gateway.support.UnderModeGatewayTest;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ProducerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the gateway sends ledger requests: at once (no linger), and with cheap ids. */
class LedgerProducerTest extends UnderModeGatewayTest {

    @Autowired
    private ProducerFactory<String, String> ledgerProducerFactory;

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
