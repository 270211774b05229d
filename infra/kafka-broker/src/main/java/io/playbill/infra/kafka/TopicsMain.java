package io.playbill.infra.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code ./playbill topics --bootstrap-servers HOST:PORT [--replication-factor N] [--command-config FILE] [--acls
 * [--gateway-principal P] [--ledger-principal P] [--query-principal P]]}: creates the platform's topics on an
 * external cluster and, with {@code --acls}, the ACLs each service needs ({@link PlaybillAcls}). The command
 * config is a properties file with the admin client's own settings (e.g. {@code security.protocol},
 * {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.*}), as for Kafka's own tools.
 */
public final class TopicsMain {

    static final String USAGE = "Usage: topics --bootstrap-servers HOST:PORT [--replication-factor N]"
            + " [--command-config FILE] [--acls [--gateway-principal User:NAME] [--ledger-principal User:NAME]"
            + " [--query-principal User:NAME]]";

    public static void main(String[] args) {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) {
        String bootstrap = null;
        short replication = 3;
        Path commandConfig = null;
        boolean acls = false;
        PlaybillAcls.Principals defaults = PlaybillAcls.Principals.defaults();
        String gateway = defaults.gateway();
        String ledger = defaults.ledger();
        String query = defaults.query();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap-servers" -> bootstrap = value(args, ++i);
                case "--replication-factor" -> replication = Short.parseShort(value(args, ++i));
                case "--command-config" -> commandConfig = Path.of(value(args, ++i));
                case "--acls" -> acls = true;
                case "--gateway-principal" -> gateway = value(args, ++i);
                case "--ledger-principal" -> ledger = value(args, ++i);
                case "--query-principal" -> query = value(args, ++i);
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + "\n" + USAGE);
            }
        }
        if (bootstrap == null) {
            throw new IllegalArgumentException(USAGE);
        }
        Map<String, Object> admin = commandConfig == null ? new HashMap<>() : read(commandConfig);
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        PlaybillTopics.createMissing(admin, replication);
        short rf = replication;
        PlaybillTopics.all(replication).forEach(t -> out.printf("%s: %d partitions (replication %d), %s%n",
                t.name(), t.numPartitions(), rf, t.configs()));
        if (acls) {
            PlaybillAcls.Principals principals = new PlaybillAcls.Principals(gateway, ledger, query);
            try (Admin client = Admin.create(admin)) {
                PlaybillAcls.apply(client, principals);
            }
            PlaybillAcls.bindings(principals).forEach(binding -> out.printf("ACL: %s %s %s %s %s%n",
                    binding.entry().principal(), binding.entry().operation(), binding.pattern().resourceType(),
                    binding.pattern().patternType(), binding.pattern().name()));
        }
    }

    private static Map<String, Object> read(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the command config " + file + ": " + e.getMessage(), e);
        }
        Map<String, Object> settings = new HashMap<>();
        props.stringPropertyNames().forEach(name -> settings.put(name, props.getProperty(name)));
        return settings;
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value\n" + USAGE);
        }
        return args[index];
    }

    private TopicsMain() {
    }
}
