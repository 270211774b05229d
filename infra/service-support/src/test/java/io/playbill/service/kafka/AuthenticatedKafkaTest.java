package io.playbill.service.kafka;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Outside dev mode a service starts only with Kafka clients that authenticate to the broker. */
class AuthenticatedKafkaTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"ledger\" password=\"not-in-the-message\";";

    @Test
    void clientsWithoutAuthenticationAreRefusedAndTheRefusalSaysWhatToSet() {
        for (Map<String, Object> client : List.<Map<String, Object>>of(Map.of(),
                Map.of("security.protocol", "PLAINTEXT"), Map.of("security.protocol", "ssl"))) {
            assertThatThrownBy(() -> new AuthenticatedKafka("the ledger", List.of(client), false).afterPropertiesSet())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the ledger refuses to start outside dev mode: ")
                    .hasMessageContaining("spring.kafka.");
        }
    }

    @Test
    void saslNeedsALoginAndTlsAClientCertificate() {
        assertThat(AuthenticatedKafka.problem(Map.of("security.protocol", "SASL_SSL"))).hasValueSatisfying(
                problem -> assertThat(problem).contains("without a login"));
        assertThat(AuthenticatedKafka.problem(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", JAAS)))
                .isEmpty();
        assertThat(AuthenticatedKafka.problem(Map.of("security.protocol", "sasl_plaintext", "sasl.jaas.config",
                JAAS))).isEmpty();
        assertThat(AuthenticatedKafka.problem(Map.of("security.protocol", "SSL", "ssl.keystore.location",
                "/etc/playbill/ledger.p12"))).isEmpty();
    }

    @Test
    void oneKindOfClientWithoutAuthenticationIsEnough() {
        Map<String, Object> secured = Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", JAAS);
        assertThatThrownBy(() -> new AuthenticatedKafka("query-service", List.of(secured, Map.of(), secured), false)
                .afterPropertiesSet()).hasMessageContaining("security protocol PLAINTEXT")
                .hasMessageNotContaining("not-in-the-message");
        assertThatCode(() -> new AuthenticatedKafka("query-service", List.of(secured, secured), false)
                .afterPropertiesSet()).doesNotThrowAnyException();
    }

    @Test
    void aLoginGivenBySpringsJaasSettingsCountsAndOtherClientsAreCheckedToo() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getSecurity().setProtocol("SASL_SSL");
        ObjectProvider<SslBundles> noBundles = new StaticListableBeanFactory().getBeanProvider(SslBundles.class);
        assertThatThrownBy(() -> AuthenticatedKafka.of("the gateway", kafka, noBundles, false, List.of())
                .afterPropertiesSet()).hasMessageContaining("without a login");

        kafka.getJaas().setEnabled(true);
        assertThatCode(() -> AuthenticatedKafka.of("the gateway", kafka, noBundles, false, List.of())
                .afterPropertiesSet()).doesNotThrowAnyException();
        assertThatThrownBy(() -> AuthenticatedKafka.of("the ledger", kafka, noBundles, false,
                List.of(Map.of("security.protocol", "PLAINTEXT"))).afterPropertiesSet())
                .as("a client built with settings of its own on top")
                .hasMessageContaining("security protocol PLAINTEXT");
    }

    @Test
    void devModeAcceptsAnUnauthenticatedBroker() {
        assertThatCode(() -> new AuthenticatedKafka("the ledger", List.of(Map.of()), true).afterPropertiesSet())
                .doesNotThrowAnyException();
    }
}
