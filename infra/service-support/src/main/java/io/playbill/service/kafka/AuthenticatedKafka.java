package io.playbill.service.kafka;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses to start a service whose Kafka clients do not authenticate to the broker, outside dev mode
 * ({@code playbill.dev-mode=true}, which only {@code ./playbill up} and the tests set). Whoever can write to an
 * unauthenticated broker can put a deposit on the ledger's request topic, answer the gateway in the ledger's name, or
 * write ledger events the read models and the cloud stopper believe (decision 053). Authenticated means SASL
 * ({@code SASL_SSL}, or {@code SASL_PLAINTEXT} on a private network) or TLS with a client certificate. A bean: Spring
 * creates it before any listener container starts, so a refused service has taken nothing.
 */
public final class AuthenticatedKafka implements InitializingBean {

    private final String service;
    private final List<Map<String, Object>> clients;
    private final boolean devMode;

    /**
     * @param clients the client properties each kind of client is built from (admin, consumer, producer): a
     *                setting for one kind alone overrides the common one
     */
    public AuthenticatedKafka(String service, List<Map<String, Object>> clients, boolean devMode) {
        this.service = service;
        this.clients = List.copyOf(clients);
        this.devMode = devMode;
    }

    /** Checks every kind of client that Spring Boot's {@code spring.kafka.*} builds: admin, consumer, producer. */
    public static AuthenticatedKafka of(String service, KafkaProperties kafka, ObjectProvider<SslBundles> ssl,
                                        boolean devMode) {
        SslBundles bundles = ssl.getIfAvailable();
        return new AuthenticatedKafka(service, List.of(kafka.buildAdminProperties(bundles),
                kafka.buildConsumerProperties(bundles), kafka.buildProducerProperties(bundles)), devMode);
    }

    @Override
    public void afterPropertiesSet() {
        if (devMode) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> client : clients) {
            problem(client).filter(problem -> !problems.contains(problem)).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(service + " refuses to start outside dev mode: " + String.join("; ",
                    problems));
        }
    }

    /** Why clients built from {@code properties} would not authenticate; empty when they would. */
    public static Optional<String> problem(Map<String, Object> properties) {
        Object configured = properties.get("security.protocol");
        String protocol = configured == null ? "PLAINTEXT" : configured.toString().trim().toUpperCase(Locale.ROOT);
        return switch (protocol) {
            case "SASL_SSL", "SASL_PLAINTEXT" -> properties.get("sasl.jaas.config") == null
                    && properties.get("sasl.login.callback.handler.class") == null
                    ? Optional.of("Kafka security protocol " + protocol + " without a login: set"
                    + " spring.kafka.properties.sasl.jaas.config (SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG)")
                    : Optional.empty();
            case "SSL" -> hasClientCertificate(properties) ? Optional.empty()
                    : Optional.of("Kafka security protocol SSL without a client certificate (a key store), so the"
                    + " broker cannot tell who writes: set spring.kafka.ssl.key-store-location or"
                    + " spring.kafka.ssl.bundle, or use SASL_SSL");
            default -> Optional.of("the Kafka clients do not authenticate (security protocol " + protocol + "):"
                    + " anyone who reaches the broker could write requests, replies and ledger events. Set"
                    + " spring.kafka.security.protocol to SASL_SSL (or SASL_PLAINTEXT on a private network) with"
                    + " spring.kafka.properties.sasl.mechanism and sasl.jaas.config, as docs/operations.md shows;"
                    + " playbill.dev-mode=true is for a developer machine only");
        };
    }

    private static boolean hasClientCertificate(Map<String, Object> properties) {
        // A key store by location or in PEM, or Spring Boot's SSL bundle (spring.kafka.ssl.bundle), which hands its
        // key material to Kafka through an engine factory of its own.
        return properties.get("ssl.keystore.location") != null
                || properties.get("ssl.keystore.certificate.chain") != null
                || properties.get("ssl.engine.factory.class") != null;
    }
}
