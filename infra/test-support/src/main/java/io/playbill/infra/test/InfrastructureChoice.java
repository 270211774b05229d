package io.playbill.infra.test;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Which infrastructure the tests of a JVM run against, and why (for the build log). {@code -Dplaybill.test.infra}
 * decides: {@code embedded} (the broker in process and embedded PostgreSQL, as in CI here), {@code testcontainers}
 * (Kafka and PostgreSQL in Docker containers; fails when no Docker engine is reachable), or, by default, {@code auto}:
 * Testcontainers when a Docker engine is reachable, else embedded.
 *
 * @param kind   what runs
 * @param reason why, in a few words
 */
public record InfrastructureChoice(Kind kind, String reason) {

    /** The system property that chooses. */
    public static final String PROPERTY = "playbill.test.infra";

    public enum Kind {
        /** {@link io.playbill.infra.kafka.EmbeddedKafkaBroker} and {@link PostgresServer#forTests}. */
        EMBEDDED,
        /** Kafka (KRaft) and PostgreSQL containers started by Testcontainers. */
        TESTCONTAINERS
    }

    /**
     * The choice for the property's value ({@code null} when unset); {@code dockerAvailable} is asked only when the
     * answer depends on it.
     *
     * @throws IllegalArgumentException for an unknown value
     * @throws IllegalStateException    when Testcontainers is required and no Docker engine is reachable
     */
    public static InfrastructureChoice choose(String property, BooleanSupplier dockerAvailable) {
        String value = property == null || property.isBlank() ? "auto" : property.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "embedded":
                return new InfrastructureChoice(Kind.EMBEDDED, "-D" + PROPERTY + "=embedded");
            case "testcontainers":
                if (!dockerAvailable.getAsBoolean()) {
                    throw new IllegalStateException("-D" + PROPERTY + "=testcontainers, but no Docker engine is"
                            + " reachable: start one (or set DOCKER_HOST), or leave the property out to use the"
                            + " embedded Kafka and PostgreSQL");
                }
                return new InfrastructureChoice(Kind.TESTCONTAINERS, "-D" + PROPERTY + "=testcontainers");
            case "auto":
                return dockerAvailable.getAsBoolean()
                        ? new InfrastructureChoice(Kind.TESTCONTAINERS, "a Docker engine is reachable")
                        : new InfrastructureChoice(Kind.EMBEDDED, "no Docker engine found");
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " is auto, embedded or testcontainers, not '"
                        + property + "'");
        }
    }

    /** The choice for this JVM's {@code -Dplaybill.test.infra}, probing for Docker only when it matters. */
    static InfrastructureChoice forThisJvm() {
        String property = System.getProperty(PROPERTY);
        // Required, containers are looked for everywhere Testcontainers can; by default only where an engine usually is.
        boolean required = property != null && property.trim().equalsIgnoreCase("testcontainers");
        return choose(property, required ? DockerEngine::reachable : DockerEngine::found);
    }
}
