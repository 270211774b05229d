package io.playbill.service.kafka;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;

import java.util.ArrayList;
import java.util.HashMap;
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

    /** A JAAS file for the whole JVM, the classic way to give Kerberos (GSSAPI) or SCRAM logins. */
    private static final String JAAS_FILE = "java.security.auth.login.config";
    /** Marks client settings whose login comes from the JVM's JAAS configuration, not {@code sasl.jaas.config}. */
    private static final String LOGIN_ELSEWHERE = "playbill.login-from-jaas-configuration";

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

    /**
     * Checks every kind of client that Spring Boot's {@code spring.kafka.*} builds (admin, consumer, producer), and
     * the settings of clients built otherwise ({@code others}, e.g. with Axon's settings laid on top).
     */
    public static AuthenticatedKafka of(String service, KafkaProperties kafka, ObjectProvider<SslBundles> ssl,
                                        boolean devMode, List<Map<String, Object>> others) {
        SslBundles bundles = ssl.getIfAvailable();
        List<Map<String, Object>> clients = new ArrayList<>(List.of(kafka.buildAdminProperties(bundles),
                kafka.buildConsumerProperties(bundles), kafka.buildProducerProperties(bundles)));
        clients.addAll(others);
        boolean loginElsewhere = kafka.getJaas().isEnabled() || System.getProperty(JAAS_FILE) != null;
        return new AuthenticatedKafka(service, clients.stream().map(client -> loginElsewhere
                ? withLoginElsewhere(client) : client).toList(), devMode);
    }

    private static Map<String, Object> withLoginElsewhere(Map<String, Object> client) {
        Map<String, Object> marked = new HashMap<>(client);
        marked.putIfAbsent(LOGIN_ELSEWHERE, true);
        return marked;
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
                    && properties.get(LOGIN_ELSEWHERE) == null
                    ? Optional.of("Kafka security protocol " + protocol + " without a login: set"
                    + " spring.kafka.properties.sasl.jaas.config (SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG), or"
                    + " spring.kafka.jaas.*, or the JVM's " + JAAS_FILE)
                    : Optional.empty();
            case "SSL" -> hasClientCertificate(properties) ? Optional.empty()
                    : Optional.of("Kafka security protocol SSL without a client certificate (a key store), so the"
                    + " broker cannot tell who writes: set spring.kafka.ssl.key-store-location, or use SASL_SSL");
            default -> Optional.of("the Kafka clients do not authenticate (security protocol " + protocol + "):"
                    + " anyone who reaches the broker could write requests, replies and ledger events. Set"
                    + " spring.kafka.security.protocol to SASL_SSL (or SASL_PLAINTEXT on a private network) with"
                    + " spring.kafka.properties.sasl.mechanism and sasl.jaas.config, as docs/operations.md shows;"
                    + " playbill.dev-mode=true is for a developer machine only");
        };
    }

    private static boolean hasClientCertificate(Map<String, Object> properties) {
        // A key store by location or in PEM, or a TLS engine factory of the operator's own that supplies one.
        return properties.get("ssl.keystore.location") != null
                || properties.get("ssl.keystore.certificate.chain") != null
                || properties.get("ssl.engine.factory.class") != null;
    }
}
