package io.playbill.infra.kafka;

import io.playbill.ledger.api.LedgerTopics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The secured embedded broker, attacked with real clients: who may log in, who may write the request topic (which
 * moves money) and the events topic (the audit trail), and what each service may read.
 */
class SecuredBrokerTest {

    @TempDir
    static Path data;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.startSecured(data, 0, ScramUsers.randomForServices());
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aClientWithoutCredentialsCannotProduce() throws Exception {
        long before = endOffset(LedgerTopics.REQUESTS);
        Map<String, Object> anonymous = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());

        Throwable refused = send(anonymous, LedgerTopics.REQUESTS);

        assertThat(causes(refused)).as("a PLAINTEXT client never gets past the SASL listener")
                .anyMatch(TimeoutException.class::isInstance);
        assertThat(endOffset(LedgerTopics.REQUESTS)).isEqualTo(before);
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> props = new HashMap<>(broker.clientProperties(PlaybillAcls.GATEWAY_USER));
        props.put("sasl.jaas.config", ScramUsers.jaasConfig(PlaybillAcls.GATEWAY_USER, "not-the-password"));

        assertThat(causes(send(props, LedgerTopics.REQUESTS)))
                .anyMatch(SaslAuthenticationException.class::isInstance);
    }

    @Test
    void theGatewayWritesRequestsAndReadsRepliesInItsOwnGroups() throws Exception {
        assertThat(send(client(PlaybillAcls.GATEWAY_USER), LedgerTopics.REQUESTS)).isNull();

        String reply = "reply-" + UUID.randomUUID();
        assertThat(send(broker.adminProperties(), LedgerTopics.REPLIES, reply)).isNull();
        assertThat(reads(PlaybillAcls.GATEWAY_USER, LedgerTopics.REPLIES,
                PlaybillAcls.GATEWAY_REPLY_GROUP_PREFIX + UUID.randomUUID(), reply)).isTrue();

        assertThat(causes(readFailure(PlaybillAcls.GATEWAY_USER, LedgerTopics.REPLIES, "some-other-group")))
                .as("a group outside its prefix").anyMatch(AuthorizationException.class::isInstance);
    }

    @Test
    void onlyTheLedgerWritesEventsAndReplies() {
        assertThat(send(client(PlaybillAcls.LEDGER_USER), LedgerTopics.REPLIES)).isNull();
        assertThat(send(client(PlaybillAcls.LEDGER_USER), LedgerTopics.EVENTS)).isNull();

        assertThat(causes(send(client(PlaybillAcls.GATEWAY_USER), LedgerTopics.EVENTS)))
                .anyMatch(AuthorizationException.class::isInstance);
        assertThat(causes(send(client(PlaybillAcls.QUERY_USER), LedgerTopics.EVENTS)))
                .anyMatch(AuthorizationException.class::isInstance);
    }

    @Test
    void neitherTheLedgerNorTheQueryServiceCanWriteRequests() throws Exception {
        long before = endOffset(LedgerTopics.REQUESTS);

        assertThat(causes(send(client(PlaybillAcls.LEDGER_USER), LedgerTopics.REQUESTS)))
                .anyMatch(AuthorizationException.class::isInstance);
        assertThat(causes(send(client(PlaybillAcls.QUERY_USER), LedgerTopics.REQUESTS)))
                .anyMatch(AuthorizationException.class::isInstance);
        assertThat(endOffset(LedgerTopics.REQUESTS)).isEqualTo(before);
    }

    @Test
    void theLedgerReadsRequestsInItsGroupAndTheQueryServiceReadsEventsWithoutAGroup() throws Exception {
        String request = "request-" + UUID.randomUUID();
        assertThat(send(client(PlaybillAcls.GATEWAY_USER), LedgerTopics.REQUESTS, request)).isNull();
        assertThat(reads(PlaybillAcls.LEDGER_USER, LedgerTopics.REQUESTS, PlaybillAcls.LEDGER_GROUP, request))
                .isTrue();

        String event = "event-" + UUID.randomUUID();
        assertThat(send(client(PlaybillAcls.LEDGER_USER), LedgerTopics.EVENTS, event)).isNull();
        assertThat(reads(PlaybillAcls.QUERY_USER, LedgerTopics.EVENTS, null, event)).isTrue();

        assertThat(causes(readFailure(PlaybillAcls.QUERY_USER, LedgerTopics.REQUESTS, null)))
                .as("requests are the gateway's and the ledger's business")
                .anyMatch(AuthorizationException.class::isInstance);
    }

    @Test
    void theTopicsCommandAppliesTheAclsWithItsOwnLoginFromACommandConfig(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("admin.properties");
        Map<String, Object> admin = broker.adminProperties();
        Files.writeString(config, admin.entrySet().stream()
                .filter(e -> !e.getKey().equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG))
                .map(e -> e.getKey() + "=" + e.getValue().toString().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n")));
        String bootstrap = admin.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        TopicsMain.run(new String[]{"--bootstrap-servers", bootstrap, "--replication-factor", "1",
                "--command-config", config.toString(), "--acls", "--gateway-principal", "User:gw-blue",
                "--ledger-principal", "User:ledger-blue", "--query-principal", "User:query-blue"},
                new PrintStream(out, true, StandardCharsets.UTF_8));

        var expected = PlaybillAcls.bindings(new PlaybillAcls.Principals("User:gw-blue", "User:ledger-blue",
                "User:query-blue"));
        try (Admin client = Admin.create(admin)) {
            List<AclBinding> all = new ArrayList<>(client.describeAcls(AclBindingFilter.ANY).values().get());
            assertThat(all).containsAll(expected);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ACL: User:gw-blue WRITE TOPIC LITERAL "
                + LedgerTopics.REQUESTS);

        Files.writeString(config, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"broker\" password=\"wrong\";\n");
        assertThat(causes(catchThrowable(() -> TopicsMain.run(new String[]{"--bootstrap-servers", bootstrap,
                "--command-config", config.toString(), "--acls"}, new PrintStream(out, true, StandardCharsets.UTF_8)))))
                .anyMatch(SaslAuthenticationException.class::isInstance);
    }

    @Test
    void newPasswordsReplaceTheOldOnesWhenTheBrokerRestarts(@TempDir Path dir) {
        ScramUsers first = ScramUsers.randomForServices();
        try (EmbeddedKafkaBroker b = EmbeddedKafkaBroker.startSecured(dir, 0, first)) {
            assertThat(send(b.clientProperties(PlaybillAcls.GATEWAY_USER), LedgerTopics.REQUESTS)).isNull();
        }
        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.startSecured(dir, 0, ScramUsers.randomForServices())) {
            assertThat(send(restarted.clientProperties(PlaybillAcls.GATEWAY_USER), LedgerTopics.REQUESTS)).isNull();

            Map<String, Object> old = new HashMap<>(restarted.clientProperties(PlaybillAcls.GATEWAY_USER));
            old.putAll(first.clientSettings(PlaybillAcls.GATEWAY_USER));
            assertThat(causes(send(old, LedgerTopics.REQUESTS))).anyMatch(SaslAuthenticationException.class::isInstance);
        }
        assertThat(dir.resolve("server.properties")).as("no copy of the broker's password stays on disk")
                .doesNotExist();
    }

    private static Map<String, Object> client(String user) {
        return broker.clientProperties(user);
    }

    /** Sends one record and returns why it failed, or null once the broker acknowledged it. */
    private static Throwable send(Map<String, Object> settings, String topic) {
        return send(settings, topic, "value");
    }

    private static Throwable send(Map<String, Object> settings, String topic, String value) {
        Map<String, Object> props = new HashMap<>(settings);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            return catchThrowable(() -> producer.send(new ProducerRecord<>(topic, "alice", value)).get());
        }
    }

    /** Whether {@code user} reads {@code value} from {@code topic} (in {@code group}, or by assignment if null). */
    private static boolean reads(String user, String topic, String group, String value) {
        try (var consumer = consumer(user, group)) {
            subscribeOrAssign(consumer, topic, group);
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (value.equals(r.value())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Throwable readFailure(String user, String topic, String group) {
        try (var consumer = consumer(user, group)) {
            subscribeOrAssign(consumer, topic, group);
            return catchThrowable(() -> {
                for (int i = 0; i < 10; i++) {
                    consumer.poll(Duration.ofMillis(1_000));
                }
            });
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static KafkaConsumer<String, String> consumer(String user, String group) {
        Map<String, Object> props = new HashMap<>(client(user));
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static void subscribeOrAssign(KafkaConsumer<String, String> consumer, String topic, String group) {
        if (group != null) {
            consumer.subscribe(List.of(topic));
            return;
        }
        int partitions = topic.equals(LedgerTopics.REPLIES) ? PlaybillTopics.REPLY_PARTITIONS
                : PlaybillTopics.LEDGER_PARTITIONS;
        List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
    }

    private static long endOffset(String topic) throws Exception {
        try (Admin admin = Admin.create(broker.adminProperties())) {
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PlaybillTopics.LEDGER_PARTITIONS)
                    .boxed().collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    private static List<Throwable> causes(Throwable thrown) {
        assertThat(thrown).as("the broker refused").isNotNull();
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
