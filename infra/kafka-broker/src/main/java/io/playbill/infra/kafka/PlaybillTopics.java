package io.playbill.infra.kafka;

import io.playbill.ledger.api.LedgerTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The topics the platform needs, with their partition counts and retention. One place, used by the embedded
 * broker and by {@code ./playbill topics} against an external cluster.
 *
 * <p>Partition counts are fixed for life: the ledger relies on "one user → one partition" for ordering, and
 * adding partitions later moves users between partitions. 12 lets up to 12 command-service instances share
 * the request load and divides evenly by 1, 2, 3, 4 and 6 instances.
 *
 * <p>The replies topic is the exception: no key orders it, and each gateway instance reads only its own partitions of
 * it (decision 035), so up to {@value #REPLY_PARTITIONS} gateway instances can run; an existing replies topic with
 * fewer partitions is grown to that many.
 */
public final class PlaybillTopics {

    public static final int LEDGER_PARTITIONS = 12;
    public static final int REPLY_PARTITIONS = 12;

    /** All topics, in creation order. */
    public static List<NewTopic> all(short replicationFactor) {
        return List.of(
                new NewTopic(LedgerTopics.REQUESTS, LEDGER_PARTITIONS, replicationFactor).configs(durable(
                        replicationFactor, Map.of("retention.ms", String.valueOf(Duration.ofDays(7).toMillis())))),
                new NewTopic(LedgerTopics.REPLIES, REPLY_PARTITIONS, replicationFactor).configs(durable(
                        replicationFactor, Map.of("retention.ms", String.valueOf(Duration.ofHours(1).toMillis())))),
                // The ledger-events topic is the audit trail and the source of every projection: keep everything.
                new NewTopic(LedgerTopics.EVENTS, LEDGER_PARTITIONS, replicationFactor).configs(durable(
                        replicationFactor, Map.of("retention.ms", "-1", "retention.bytes", "-1"))));
    }

    /**
     * The topic's settings plus those that keep an acknowledged write: the services produce with {@code acks=all},
     * which a broker's default {@code min.insync.replicas=1} lets one replica satisfy alone, so a write acknowledged
     * while the others lagged (a rolling restart) was lost with that broker's disk. With three or more replicas two
     * hold every write; with two, requiring both would stop every write while one broker restarts. A replica that
     * missed writes never becomes leader (Kafka's default, stated so a broker default cannot change it).
     */
    static Map<String, String> durable(short replicationFactor, Map<String, String> settings) {
        Map<String, String> configs = new HashMap<>(settings);
        configs.put("min.insync.replicas", replicationFactor >= 3 ? "2" : "1");
        configs.put("unclean.leader.election.enable", "false");
        configs.put("cleanup.policy", "delete");
        return configs;
    }

    /** Creates every missing topic; existing topics are left as they are, but for a replies topic to grow. */
    public static void createMissing(String bootstrapServers, short replicationFactor) {
        createMissing(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), replicationFactor);
    }

    /**
     * The same with an admin client of these settings (bootstrap servers plus, on a secured cluster, a login
     * allowed to create topics).
     */
    public static void createMissing(Map<String, Object> adminProperties, short replicationFactor) {
        Map<String, Object> props = new HashMap<>(adminProperties);
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            for (NewTopic topic : all(replicationFactor)) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic.name() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, 1);
            if (growReplies(admin)) {
                awaitLeaders(admin, REPLY_PARTITIONS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    /** A replies topic made before decision 035 has 3 partitions: too few for more than 3 gateway instances. */
    private static boolean growReplies(Admin admin) throws InterruptedException {
        try {
            int partitions = admin.describeTopics(List.of(LedgerTopics.REPLIES)).allTopicNames().get()
                    .get(LedgerTopics.REPLIES).partitions().size();
            if (partitions < REPLY_PARTITIONS) {
                admin.createPartitions(Map.of(LedgerTopics.REPLIES, NewPartitions.increaseTo(REPLY_PARTITIONS)))
                        .all().get();
                return true;
            }
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot grow topic " + LedgerTopics.REPLIES + " to " + REPLY_PARTITIONS
                    + " partitions: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Topic metadata reaches the broker a moment after creation (or growth); wait so the first client does not race
     * it. The replies topic is ready once it has its partitions: until grown, an existing one has fewer.
     */
    private static void awaitLeaders(Admin admin, int replyPartitions) throws InterruptedException {
        List<String> names = all((short) 1).stream().map(NewTopic::name).toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                var topics = admin.describeTopics(names).allTopicNames().get();
                boolean ready = topics.get(LedgerTopics.REPLIES).partitions().size() >= replyPartitions
                        && topics.values().stream().flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topics did not become ready: " + e.getCause().getMessage(), e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topics have no leader after 30 s");
            }
            Thread.sleep(100);
        }
    }

    private PlaybillTopics() {
    }
}
