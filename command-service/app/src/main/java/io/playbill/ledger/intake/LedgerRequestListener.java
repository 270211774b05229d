package io.playbill.ledger.intake;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.playbill.ledger.account.LedgerRequestHandler;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.axonframework.common.caching.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads ledger requests in batches and, for each batch:
 * <ol>
 *   <li>decides every request in Kafka order (so one user's requests stay in order) inside <b>one</b> database
 *       transaction — the events of the whole batch commit together, one commit instead of one per request;</li>
 *   <li>sends each reply to the requester's reply topic and waits for Kafka's acks;</li>
 *   <li>only then commits the batch's offsets.</li>
 * </ol>
 * The persistence context is flushed and cleared after each request, so a large batch costs no more per request
 * than a small one. A crash anywhere re-delivers the batch. Requests whose events were committed are decided again, and the
 * ledger's idempotency (request references, cumulative charging, t0 never reset) makes that harmless.
 *
 * <p>A request whose reply topic is not one of {@code playbill.ledger.reply-topics} is dropped before any of this:
 * not decided, not answered, logged and counted ({@code playbill.ledger.intake.refused}). A request without reply
 * headers (e.g. re-sent by an operator) is decided as usual; nobody is waiting for its answer.
 *
 * <p>Metrics (docs/operations.md, "Metrics"): the batch sizes, the time to decide and commit a batch and to have its
 * replies acknowledged, and every decision by operation and outcome ({@code playbill.ledger.decisions}), counted once
 * its batch has committed: a batch rolled back and re-delivered counts once.
 */
@Component
class LedgerRequestListener {

    private static final Logger log = LoggerFactory.getLogger(LedgerRequestListener.class);

    private static final String DECISIONS = "playbill.ledger.decisions";
    /** The operation of a request that could not be read. */
    private static final String UNREADABLE = "unreadable";
    /** Each operation by its name on the wire ({@code op}: renew, deposit, ...), the tag of its decisions. */
    private static final Map<Class<?>, String> OPERATIONS = Arrays.stream(
                    LedgerOperation.class.getAnnotation(JsonSubTypes.class).value())
            .collect(Collectors.toUnmodifiableMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));

    private final LedgerRequestHandler handler;
    private final KafkaTemplate<String, byte[]> replies;
    private final ObjectMapper json;
    private final TransactionTemplate transaction;
    private final ObjectProvider<Cache> aggregateCaches;
    private final ReplyTopics replyTopics;
    /** The batch transaction's persistence context, where the event store's JPA entries land. */
    private final EntityManager entityManager;
    /** Per batch: deciding and committing it, then waiting for its replies' acks (what to cut when it is slow). */
    private final Timer decideTimer;
    private final Timer replyAcksTimer;
    private final Counter refusedReplyTopic;
    private final DistributionSummary batchSize;
    private final MeterRegistry meters;
    /** Decision counters by "operation outcome", made on first use. */
    private final Map<String, Counter> decisionCounters = new ConcurrentHashMap<>();

    LedgerRequestListener(LedgerRequestHandler handler, KafkaTemplate<String, byte[]> replies, ObjectMapper json,
                          TransactionTemplate transaction, ObjectProvider<Cache> aggregateCaches,
                          EntityManagerFactory entityManagers, MeterRegistry meters, ReplyTopics replyTopics) {
        this.handler = handler;
        this.replies = replies;
        this.json = json;
        this.transaction = transaction;
        this.aggregateCaches = aggregateCaches;
        this.replyTopics = replyTopics;
        this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagers);
        this.meters = meters;
        this.decideTimer = Timer.builder("playbill.ledger.intake.decide")
                .description("Deciding one request batch in its database transaction, commit included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters);
        this.replyAcksTimer = Timer.builder("playbill.ledger.intake.reply-acks")
                .description("Sending one batch's replies until the broker acknowledged all of them")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters);
        this.batchSize = DistributionSummary.builder("playbill.ledger.intake.batch")
                .description("Requests per batch the intake decided and committed in one transaction")
                .baseUnit("requests")
                .serviceLevelObjectives(1, 5, 10, 25, 50, 100, 250, 500)
                .register(meters);
        this.refusedReplyTopic = Counter.builder("playbill.ledger.intake.refused")
                .description("Requests dropped undecided because they named a reply topic that is not allowed")
                .tag("reason", "reply_topic_not_allowed")
                .register(meters);
    }

    @KafkaListener(topics = LedgerTopics.REQUESTS, concurrency = "${playbill.ledger.intake-concurrency:1}")
    void onRequests(List<ConsumerRecord<String, byte[]>> received, Acknowledgment ack) {
        List<ConsumerRecord<String, byte[]>> records = withAllowedReplyTopics(received);
        List<Decision> decided = decideTimer.record(() -> decideInOneTransaction(records));
        batchSize.record(decided.size());
        decided.forEach(this::count);
        replyAcksTimer.record(() -> {
            List<CompletableFuture<?>> sent = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                sent.add(sendReply(records.get(i), decided.get(i).reply()));
            }
            // join() throws if a reply could not be sent: the batch is then re-delivered, not acknowledged.
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        });
        ack.acknowledge();
    }

    /**
     * The requests that name no reply topic or an allowed one. The others are no genuine gateway requests: they are
     * dropped undecided, since deciding them unanswered would move money with nobody told. Each is logged and counted
     * once per delivery (a batch re-delivered after a failure counts it again).
     */
    private List<ConsumerRecord<String, byte[]>> withAllowedReplyTopics(List<ConsumerRecord<String, byte[]>> records) {
        List<ConsumerRecord<String, byte[]>> allowed = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            Header replyTopic = record.headers().lastHeader(LedgerHeaders.REPLY_TOPIC);
            if (replyTopic == null || replyTopic.value() != null
                    && replyTopics.allows(new String(replyTopic.value(), StandardCharsets.UTF_8))) {
                allowed.add(record);
            } else {
                refusedReplyTopic.increment();
                log.warn("Ledger request at {}-{}@{} not decided: its reply topic is not one of"
                        + " playbill.ledger.reply-topics", record.topic(), record.partition(), record.offset());
            }
        }
        return allowed;
    }

    private List<Decision> decideInOneTransaction(List<ConsumerRecord<String, byte[]>> records) {
        try {
            return transaction.execute(status -> {
                List<Decision> decisions = new ArrayList<>(records.size());
                for (ConsumerRecord<String, byte[]> record : records) {
                    decisions.add(decide(record));
                    writeAndDetach();
                }
                return decisions;
            });
        } catch (RuntimeException e) {
            // Cached aggregates may hold events of the rolled-back batch; the retry must re-read the store.
            aggregateCaches.forEach(Cache::removeAll);
            throw e;
        }
    }

    /**
     * Writes what the request changed and forgets the written entities. Otherwise every event of the batch stays
     * managed until the commit, and each later flush (Axon flushes every append, and every event-store query
     * auto-flushes) dirty-checks all of them: the batch's cost would grow with its square. Measured, that was a
     * third of the intake's CPU (docs/performance.md).
     */
    private void writeAndDetach() {
        entityManager.flush();
        entityManager.clear();
    }

    private Decision decide(ConsumerRecord<String, byte[]> record) {
        LedgerRequest request;
        try {
            request = json.readValue(record.value(), LedgerRequest.class);
        } catch (IOException | RuntimeException e) {
            log.warn("Unreadable ledger request at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return new Decision(UNREADABLE, LedgerReply.refused("unknown", LedgerError.INVALID_REQUEST,
                    "Unreadable request"));
        }
        String operation = request.operation() == null ? UNREADABLE
                : OPERATIONS.getOrDefault(request.operation().getClass(), UNREADABLE);
        if (!request.userId().equals(record.key())) {
            // The key decides the partition, i.e. the order of this user's requests: it must be the user.
            return new Decision(operation, LedgerReply.refused(request.requestId(), LedgerError.INVALID_REQUEST,
                    "A request's Kafka key must be its user id"));
        }
        return new Decision(operation, handler.handle(request).join());
    }

    /** {@code playbill.ledger.decisions{operation, outcome}}: outcome {@code accepted} or the refusal's error code. */
    private void count(Decision decision) {
        LedgerReply reply = decision.reply();
        String outcome = reply.accepted() ? "accepted" : reply.errorCode() == null ? "refused"
                : reply.errorCode().name().toLowerCase(Locale.ROOT);
        decisionCounters.computeIfAbsent(decision.operation() + " " + outcome, key -> Counter.builder(DECISIONS)
                .description("Requests the ledger decided and committed, by operation and outcome")
                .tag("operation", decision.operation())
                .tag("outcome", outcome)
                .register(meters)).increment();
    }

    /** A request's operation (as tagged in the metrics) and the ledger's answer. */
    private record Decision(String operation, LedgerReply reply) {
    }

    private CompletableFuture<?> sendReply(ConsumerRecord<String, byte[]> request, LedgerReply reply) {
        Header replyTopic = request.headers().lastHeader(LedgerHeaders.REPLY_TOPIC);
        Header correlation = request.headers().lastHeader(LedgerHeaders.CORRELATION_ID);
        if (replyTopic == null || correlation == null) {
            // Nobody waits for this one (e.g. a request re-sent by an operator): the decision stands.
            return CompletableFuture.completedFuture(null);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                new String(replyTopic.value(), StandardCharsets.UTF_8), request.key(), toJson(reply));
        record.headers().add(LedgerHeaders.CORRELATION_ID, correlation.value());
        return replies.send(record);
    }

    private byte[] toJson(LedgerReply reply) {
        try {
            return json.writeValueAsBytes(reply);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize a ledger reply", e);
        }
    }
}
