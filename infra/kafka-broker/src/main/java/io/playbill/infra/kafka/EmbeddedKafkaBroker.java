package io.playbill.infra.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real, single-node Apache Kafka broker in KRaft combined mode (broker + controller in one process), started
 * from the official {@code kafka_2.13} jars: format the storage once, then start. Data survives a restart on
 * the same directory. PLAINTEXT for anyone by default; {@link #startSecured} requires SASL/SCRAM logins and ACLs.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** The broker's own principal: a super user, logged in with PLAIN on the internal and controller listeners. */
    static final String BROKER_USER = "broker";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The broker is built and started on a thread of this group, so every thread it starts belongs to it (a new
     * thread joins its creator's group): a process that also runs other work can tell the broker's CPU apart.
     */
    private static final ThreadGroup BROKER_THREADS = new ThreadGroup("kafka-broker");

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final ScramUsers users;
    private final Map<String, Object> adminProperties;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, ScramUsers users,
                                Map<String, Object> adminProperties) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.users = users;
        this.adminProperties = Map.copyOf(adminProperties);
    }

    /**
     * Starts a broker that keeps its log in {@code dataDir}, listening on 127.0.0.1:{@code port} (0 = any free
     * port) in PLAINTEXT for anyone, and creates the platform's topics.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, null);
    }

    /**
     * Starts a secured broker: its client listener on 127.0.0.1:{@code port} takes only SASL_PLAINTEXT with
     * SCRAM-SHA-256 logins of {@code users}, KRaft's {@code StandardAuthorizer} denies whatever no ACL allows,
     * and the {@link PlaybillAcls} of the default principals are applied (so {@code users} should hold the
     * services' users, e.g. {@link ScramUsers#randomForServices()}). The credentials are set at every start, so
     * new passwords take effect on an existing data directory. The broker itself (a super user) talks over an
     * internal and the controller listener with PLAIN and a password of its own, generated per start; both listen
     * on loopback only.
     */
    public static EmbeddedKafkaBroker startSecured(Path dataDir, int port, ScramUsers users) {
        return start(dataDir, port, Objects.requireNonNull(users, "users"));
    }

    private static EmbeddedKafkaBroker start(Path dataDir, int port, ScramUsers users) {
        int brokerPort = port == 0 ? LoopbackPorts.free() : requireFree(port);
        // The broker port may come from another JVM (the launcher's caller) and is not bound yet: never reuse it.
        int controllerPort = LoopbackPorts.freeExcept(brokerPort);
        Path logDir = dataDir.toAbsolutePath().resolve("log");
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        String bootstrap = "127.0.0.1:" + brokerPort;
        Map<String, Object> admin = new HashMap<>();
        if (users == null) {
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        } else {
            int internalPort = LoopbackPorts.freeExcept(brokerPort, controllerPort);
            String brokerPassword = ScramUsers.randomPassword();
            secure(props, brokerPort, internalPort, controllerPort, brokerPassword);
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + internalPort);
            admin.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name);
            admin.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
            admin.put(SaslConfigs.SASL_JAAS_CONFIG, plainJaas(brokerPassword, false));
        }
        try {
            Files.createDirectories(logDir);
            formatIfNeeded(dataDir, logDir, props);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot prepare Kafka data directory " + dataDir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer server = startInBrokerThreads(props);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, bootstrap, users, admin);
        try {
            PlaybillTopics.createMissing(admin, (short) 1);
            if (users != null) {
                broker.setUpSecurity();
            }
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        log.info("Kafka broker up at {}{} (data in {})", bootstrap,
                users == null ? "" : " (SASL_PLAINTEXT, SCRAM-SHA-256, ACLs; users " + users.passwords().keySet() + ")",
                dataDir);
        return broker;
    }

    /** The live threads of the brokers this JVM started (their request, network and background threads). */
    public static List<Thread> threads() {
        Thread[] found;
        int count;
        do {
            found = new Thread[BROKER_THREADS.activeCount() + 16];
            count = BROKER_THREADS.enumerate(found, true);
        } while (count == found.length);
        return List.of(Arrays.copyOf(found, count));
    }

    private static KafkaRaftServer startInBrokerThreads(Properties props) {
        FutureTask<KafkaRaftServer> startup = new FutureTask<>(() -> {
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            return server;
        });
        new Thread(BROKER_THREADS, startup, "kafka-broker-startup").start();
        try {
            return startup.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the Kafka broker started", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error failure) {
                throw failure;
            }
            throw new IllegalStateException("The Kafka broker did not start: " + e.getCause(), e.getCause());
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Settings of an administrative client with all rights: the bootstrap servers, and on a secured broker the
     * broker's own super-user login. For set-up, tools and tests; services log in as their own users.
     */
    public Map<String, Object> adminProperties() {
        return adminProperties;
    }

    /** The settings a client of {@code user} needs on a secured broker: bootstrap servers plus its SASL login. */
    public Map<String, Object> clientProperties(String user) {
        if (users == null) {
            throw new IllegalStateException("This broker is not secured: it has no users");
        }
        Map<String, Object> props = new HashMap<>(users.clientSettings(user));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** Sets every user's SCRAM credential (replacing an earlier one) and applies the ACLs. */
    private void setUpSecurity() {
        List<UserScramCredentialAlteration> credentials = new ArrayList<>();
        users.passwords().forEach((user, password) -> credentials.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), password)));
        try (Admin admin = Admin.create(adminProperties)) {
            admin.alterUserScramCredentials(credentials).all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            PlaybillAcls.apply(admin, PlaybillAcls.Principals.defaults());
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot set the SCRAM credentials: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The SCRAM credentials were not set within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while setting the SCRAM credentials", e);
        }
        users.passwords().keySet().forEach(this::awaitLogin);
    }

    /** The controller has committed the credentials; wait until the broker has them too (a moment later). */
    private void awaitLogin(String user) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> props = new HashMap<>(clientProperties(user));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        while (true) {
            try (Admin admin = Admin.create(props)) {
                admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("User " + user + " cannot log in to the broker: " + e, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for user " + user, e);
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return p;
    }

    /**
     * Turns the PLAINTEXT set-up into a secured one: CLIENT (SCRAM-SHA-256 only, what services use), INTERNAL
     * (the broker's own PLAIN login, inter-broker and administration) and CONTROLLER (PLAIN) listeners, all
     * SASL_PLAINTEXT on loopback; the KRaft authorizer with deny by default and the broker as the only super user.
     */
    private static void secure(Properties p, int clientPort, int internalPort, int controllerPort, String brokerPassword) {
        p.put("listeners", "CLIENT://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "CLIENT://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort);
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("listener.security.protocol.map",
                "CLIENT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.client.sasl.enabled.mechanisms", ScramUsers.MECHANISM);
        // The server side of SCRAM needs a login module entry; the credentials themselves live in the metadata.
        p.put("listener.name.client.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name.internal.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.internal.plain.sasl.jaas.config", plainJaas(brokerPassword, true));
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config", plainJaas(brokerPassword, true));
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + BROKER_USER);
    }

    /** The broker's PLAIN login; on the server side the same entry also lists the one user it accepts. */
    private static String plainJaas(String password, boolean server) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER_USER
                + "\" password=\"" + password + "\"" + (server ? " user_" + BROKER_USER + "=\"" + password + "\"" : "")
                + ";";
    }

    /** Formats the log directory on first use; a formatted directory keeps its cluster id and data. */
    private static void formatIfNeeded(Path dataDir, Path logDir, Properties props) throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path config = dataDir.toAbsolutePath().resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(out, "Generated by Playbill for the storage format step");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try {
            exit = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(),
                    "-c", config.toString()}, new PrintStream(output, true, StandardCharsets.UTF_8));
        } finally {
            // A secured broker's file holds its (per-start) password: keep no copy of it on disk.
            Files.deleteIfExists(config);
        }
        if (exit != 0) {
            throw new IllegalStateException("Kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static int requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("Kafka port " + port + " on 127.0.0.1 is already taken");
        }
    }
}
