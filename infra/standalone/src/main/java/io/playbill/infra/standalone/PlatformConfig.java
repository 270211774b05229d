package io.playbill.infra.standalone;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the standalone platform keeps its state and which ports it uses.
 *
 * @param home       the project checkout (the services' jars are built under it)
 * @param dataDir    PostgreSQL data, Kafka log, service logs; reused across restarts
 * @param jvmOptions options for each service JVM
 * @param serviceEnvironment extra environment variables per service name (e.g. settings a test changes)
 * @param kafkaSecurity      how the services log in to the broker (PLAINTEXT unless chosen otherwise)
 * @param instances          how many instances of a service run (1 unless said otherwise); the first listens on the
 *                           service's port, the others on free ports chosen at start
 */
public record PlatformConfig(Path home, Path dataDir, int postgresPort, int kafkaPort, int gatewayPort,
                             int commandServicePort, int queryServicePort, int gsEmulatorPort,
                             List<String> jvmOptions, Map<String, Map<String, String>> serviceEnvironment,
                             KafkaSecurity kafkaSecurity, Map<String, Integer> instances) {

    /** The platform's services, in start order. */
    public static final List<String> SERVICES = List.of("command-service", "query-service", "gateway");
    /** More instances would outnumber the request topic's partitions, and idle. */
    static final int MAX_INSTANCES = 12;

    /** How the embedded broker lets clients in. */
    public enum KafkaSecurity {
        /** Anyone on the machine may read and write every topic (the development default). */
        PLAINTEXT,
        /**
         * SASL_PLAINTEXT with SCRAM-SHA-256 and ACLs: each service logs in as its own user, with a password generated
         * for this start only, and may do only what docs/operations.md lists for it.
         */
        SASL_SCRAM
    }

    public PlatformConfig {
        kafkaSecurity = kafkaSecurity == null ? KafkaSecurity.PLAINTEXT : kafkaSecurity;
        instances = instances == null ? Map.of() : Map.copyOf(instances);
        instances.forEach((service, count) -> {
            if (!SERVICES.contains(service)) {
                throw new IllegalArgumentException("No service named " + service + "; the services are " + SERVICES);
            }
            if (count < 1 || count > MAX_INSTANCES) {
                throw new IllegalArgumentException(service + " runs 1 to " + MAX_INSTANCES + " instances, not " + count);
            }
        });
    }

    public PlatformConfig(Path home, Path dataDir, int postgresPort, int kafkaPort, int gatewayPort,
                          int commandServicePort, int queryServicePort, int gsEmulatorPort, List<String> jvmOptions,
                          Map<String, Map<String, String>> serviceEnvironment, KafkaSecurity kafkaSecurity) {
        this(home, dataDir, postgresPort, kafkaPort, gatewayPort, commandServicePort, queryServicePort,
                gsEmulatorPort, jvmOptions, serviceEnvironment, kafkaSecurity, Map.of());
    }

    public PlatformConfig(Path home, Path dataDir, int postgresPort, int kafkaPort, int gatewayPort,
                          int commandServicePort, int queryServicePort, int gsEmulatorPort, List<String> jvmOptions) {
        this(home, dataDir, postgresPort, kafkaPort, gatewayPort, commandServicePort, queryServicePort,
                gsEmulatorPort, jvmOptions, Map.of());
    }

    public PlatformConfig(Path home, Path dataDir, int postgresPort, int kafkaPort, int gatewayPort,
                          int commandServicePort, int queryServicePort, int gsEmulatorPort, List<String> jvmOptions,
                          Map<String, Map<String, String>> serviceEnvironment) {
        this(home, dataDir, postgresPort, kafkaPort, gatewayPort, commandServicePort, queryServicePort,
                gsEmulatorPort, jvmOptions, serviceEnvironment, KafkaSecurity.PLAINTEXT);
    }

    /** The same platform with its broker secured as {@code security} says. */
    public PlatformConfig withKafkaSecurity(KafkaSecurity security) {
        return new PlatformConfig(home, dataDir, postgresPort, kafkaPort, gatewayPort, commandServicePort,
                queryServicePort, gsEmulatorPort, jvmOptions, serviceEnvironment, security, instances);
    }

    /**
     * The same platform with {@code count} instances of {@code service}: {@code gateway}, {@code gateway-2}, ... Each
     * gateway instance reads from one query-service instance (gateway-k from query-service-k, round robin), as
     * nothing balances between them here.
     */
    public PlatformConfig withInstances(String service, int count) {
        Map<String, Integer> all = new HashMap<>(instances);
        all.put(service, count);
        return new PlatformConfig(home, dataDir, postgresPort, kafkaPort, gatewayPort, commandServicePort,
                queryServicePort, gsEmulatorPort, jvmOptions, serviceEnvironment, kafkaSecurity, all);
    }

    /** How many instances of {@code service} run. */
    public int instancesOf(String service) {
        return instances.getOrDefault(service, 1);
    }

    /** The name of {@code service}'s instance {@code k} (1-based): the service's own name for the first. */
    public static String instanceName(String service, int k) {
        return k == 1 ? service : service + "-" + k;
    }

    /** The same platform with {@code variables} added to one service's environment. */
    public PlatformConfig withServiceEnvironment(String service, Map<String, String> variables) {
        Map<String, Map<String, String>> all = new HashMap<>(serviceEnvironment);
        all.merge(service, variables, (a, b) -> {
            Map<String, String> merged = new HashMap<>(a);
            merged.putAll(b);
            return merged;
        });
        return new PlatformConfig(home, dataDir, postgresPort, kafkaPort, gatewayPort, commandServicePort,
                queryServicePort, gsEmulatorPort, jvmOptions, Map.copyOf(all), kafkaSecurity, instances);
    }

    /** The defaults of {@code ./playbill up}; each port can be moved with an environment variable. */
    public static PlatformConfig defaults(Path home, Path dataDir) {
        return new PlatformConfig(home, dataDir,
                port("PLAYBILL_PG_PORT", 15432),
                port("PLAYBILL_KAFKA_PORT", 19092),
                port("PLAYBILL_GATEWAY_PORT", 8080),
                port("PLAYBILL_COMMAND_PORT", 8081),
                port("PLAYBILL_QUERY_PORT", 8082),
                port("PLAYBILL_GS_PORT", 8090),
                defaultJvmOptions());
    }

    static List<String> defaultJvmOptions() {
        String custom = System.getenv("PLAYBILL_SERVICE_JAVA_OPTS");
        if (custom != null && !custom.isBlank()) {
            return List.of(custom.trim().split("\\s+"));
        }
        return BUILT_IN_JVM_OPTIONS;
    }

    /**
     * Each service stays within 384 MB of heap; the serial collector costs the least CPU and memory on a small,
     * many-JVM box. A 128 MB start halves its young collections under load, and the metaspace threshold spares four
     * full collections while the classes load (decision 039). C1 only: on one box the services, the broker and
     * PostgreSQL share the cores that C2 would compile on (decision 033). A freshly started service compiles a method
     * after a twentieth of C1's usual calls, so its first players spend less time in the interpreter; that compiles
     * about twice as much code, so the code cache is twice C1's default (decision 042).
     */
    static final List<String> BUILT_IN_JVM_OPTIONS = List.of("-Xms128m", "-Xmx384m", "-XX:MetaspaceSize=128m",
            "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
            "-XX:CompileThresholdScaling=0.05", "-XX:ReservedCodeCacheSize=96m");

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a port number, not '" + value + "'");
        }
    }
}
