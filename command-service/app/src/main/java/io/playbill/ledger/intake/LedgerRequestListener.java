package io.playbill.ledger.intake;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.playbill.ledger.axon.LedgerCommands;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.CleanText;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.domain.Request;
import io.playbill.ledger.expiry.ParkedExpiries;
import io.playbill.ledger.parked.Failures;
import io.playbill.ledger.publishing.PublisherDeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads ledger requests in batches and, for each batch:
 * <ol>
 *   <li>decides every request in Kafka order (so one user's requests stay in order) inside <b>one</b> database
 *       transaction — the events of the whole batch commit together, one commit instead of one per request;</li>
 *   <li>sends each reply to the requester's reply topic and waits for Kafka's acks;</li>
 *   <li>only then counts the batch as done. The offsets of the batches done are committed together once per
 *       {@code spring.kafka.listener.ack-time} (decision 048): one offset commit per consumer and interval, not
 *       one per batch.</li>
 * </ol>
 * Each request's events are appended as it is decided (one batched insert through Axon's JDBC storage engine,
 * decision 031), so a duplicate sequence number fails that request, not the commit. A crash anywhere re-delivers
 * the batch and the batches done since the last offset commit. Requests whose events were committed are decided
 * again, and the ledger's idempotency (request references, cumulative charging, t0 never reset) makes that
 * harmless. A refusal is not harmless to decide again (a refund refused for the balance would pass after a deposit):
 * the refusals of the requests a change of the account could accept are kept in the batch's transaction and given
 * again to the request delivered again ({@link RefusedRequests}).
 *
 * <p>When deciding a batch fails for a reason of its own (not an outage: {@link Failures#isTransient}), its requests
 * are decided again one at a time, each in its own transaction, up to {@code playbill.ledger.poison-attempts} times;
 * one that fails every attempt is parked ({@link ParkedRequests}) unanswered (its requester has answered 503 by
 * then), and the rest of the batch goes on. The user's later requests are decided as usual (decision 020). An
 * outage fails the batch, which is retried until it is over ({@link IntakeConfiguration}): it parks nothing.
 *
 * <p>An operator's {@link LedgerOperation.ResolveParked} is carried out after the batch's transaction, on its own,
 * so that a parked item failing again fails only that request. Its answer is kept ({@link ParkedResolutions}) in the
 * transaction that carries it out: the request delivered again gets that answer instead of being carried out again,
 * and one whose answer could not be kept is carried out when delivered again.
 *
 * <p>A request whose reply topic is not one of {@code playbill.ledger.reply-topics}, or whose key or correlation id is
 * longer than {@value #MAX_ECHO_BYTES} bytes (a reply echoes both, and a record of nearly all key would make a reply
 * too large to send), is dropped before any of this: not decided, not answered, logged and counted
 * ({@code playbill.ledger.intake.refused}). A request without reply headers (e.g. re-sent by an operator) is decided
 * as usual; nobody is waiting for its answer.
 *
 * <p>A reply refused for good for that record alone (too large, invalid) is that request's own fault: its decision
 * stands unanswered, logged and counted ({@code playbill.ledger.intake.unanswered}), and the batch completes. Any
 * other send failure (an outage, a broker or producer error) fails the batch, which is delivered and decided again.
 *
 * <p>Metrics (docs/operations.md, "Metrics"): the batch sizes, the time to decide and commit a batch and to have its
 * replies acknowledged, and every decision by operation and outcome ({@code playbill.ledger.decisions}), counted once
 * its batch has committed: a batch rolled back and re-delivered counts once.
 */
@Component
class LedgerRequestListener {

    private static final Logger log = LoggerFactory.getLogger(LedgerRequestListener.class);
    /** Marks an operator's request in a batch's decisions: it is carried out after the batch's transaction. */
    private static final LedgerReply OPERATOR_REQUEST = LedgerReply.accepted("operator-request", null, null, null);
    /** The consumers whose parked items an operator retries or skips. */
    private static final Set<String> PARKING_CONSUMERS = Set.of("intake", "expiry", "publisher");
    /**
     * The most bytes of key or correlation id a reply echoes. A key is a user id (at most 64 bytes) and the gateway's
     * correlation ids are about 25; anything longer could make a reply larger than a record may be.
     */
    static final int MAX_ECHO_BYTES = 255;

    private static final String DECISIONS = "playbill.ledger.decisions";
    /** The operation of a request that could not be read. */
    private static final String UNREADABLE = "unreadable";
    /** Each operation by its name on the wire ({@code op}: renew, deposit, ...), the tag of its decisions. */
    private static final Map<Class<?>, String> OPERATIONS = Arrays.stream(
                    LedgerOperation.class.getAnnotation(JsonSubTypes.class).value())
            .collect(Collectors.toUnmodifiableMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));

    private final LedgerCommands handler;
    private final KafkaTemplate<String, byte[]> replies;
    private final ObjectMapper json;
    private final TransactionTemplate transaction;
    private final ReplyTopics replyTopics;
    /** Per batch: deciding and committing it, then waiting for its replies' acks (what to cut when it is slow). */
    private final Timer decideTimer;
    private final Timer replyAcksTimer;
    private final Counter refusedReplyTopic;
    private final Counter refusedEcho;
    private final Counter unanswered;
    private final DistributionSummary batchSize;
    private final MeterRegistry meters;
    /** Decision counters by "operation outcome", made on first use. */
    private final Map<String, Counter> decisionCounters = new ConcurrentHashMap<>();
    private final ParkedRequests parked;
    private final ParkedExpiries parkedExpiries;
    private final PublisherDeadLetters parkedEvents;
    private final ParkedResolutions resolutions;
    private final RefusedRequests refusals;
    private final int attempts;
    /** How long a batch in which every user's request fails is retried whole before each request is parked. */
    private final Duration allFailedPatience;
    /** Since when each such batch (by its first record's position) has been failing whole. */
    private final Map<String, Long> allFailedSince = new ConcurrentHashMap<>();

    LedgerRequestListener(LedgerCommands handler, KafkaTemplate<String, byte[]> replies, ObjectMapper json,
                          TransactionTemplate transaction, MeterRegistry meters, ReplyTopics replyTopics,
                          ParkedRequests parked, ParkedExpiries parkedExpiries, PublisherDeadLetters parkedEvents,
                          ParkedResolutions resolutions, RefusedRequests refusals,
                          @Value("${playbill.ledger.poison-attempts:3}") int attempts,
                          @Value("${playbill.ledger.all-failed-patience:1m}") Duration allFailedPatience) {
        if (attempts < 1) {
            throw new IllegalArgumentException("playbill.ledger.poison-attempts must be at least 1: " + attempts);
        }
        if (allFailedPatience.isNegative()) {
            throw new IllegalArgumentException("playbill.ledger.all-failed-patience must not be negative: "
                    + allFailedPatience);
        }
        this.allFailedPatience = allFailedPatience;
        this.parked = parked;
        this.parkedExpiries = parkedExpiries;
        this.parkedEvents = parkedEvents;
        this.resolutions = resolutions;
        this.refusals = refusals;
        this.attempts = attempts;
        this.handler = handler;
        this.replies = replies;
        this.json = json;
        this.transaction = transaction;
        this.replyTopics = replyTopics;
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
        this.refusedReplyTopic = refused(meters, "reply_topic_not_allowed");
        this.refusedEcho = refused(meters, "key_or_correlation_too_long");
        this.unanswered = Counter.builder("playbill.ledger.intake.unanswered")
                .description("Requests decided whose reply the broker refused for good (e.g. too large a record)")
                .register(meters);
    }

    private static Counter refused(MeterRegistry meters, String reason) {
        return Counter.builder("playbill.ledger.intake.refused")
                .description("Requests dropped undecided: a reply topic not allowed, or a key or correlation id"
                        + " longer than a reply may echo")
                .tag("reason", reason)
                .register(meters);
    }

    @KafkaListener(topics = LedgerTopics.REQUESTS, concurrency = "${playbill.ledger.intake-concurrency:1}")
    void onRequests(List<ConsumerRecord<String, byte[]>> received) {
        List<ConsumerRecord<String, byte[]>> records = answerable(received);
        List<Decision> decided = decideTimer.record(() -> decide(records));
        batchSize.record(decided.size());
        for (int i = 0; i < records.size(); i++) {
            if (decided.get(i) != null && decided.get(i).reply() == OPERATOR_REQUEST) {
                decided.set(i, new Decision(decided.get(i).operation(), resolveParked(records.get(i))));
            }
        }
        decided.stream().filter(Objects::nonNull).forEach(this::count);
        replyAcksTimer.record(() -> {
            List<CompletableFuture<?>> sent = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                if (decided.get(i) != null) {
                    sent.add(answer(records.get(i), decided.get(i).reply()));
                }
            }
            // join() throws if a reply could not be sent for now: the batch is then re-delivered, its offsets not
            // committed. A reply refused for good does not get here (answer): retrying it would stop the partition.
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        });
    }

    /**
     * The requests that name no reply topic or an allowed one, and whose key and correlation id a reply can echo. The
     * others are no genuine gateway requests: they are dropped undecided, since deciding them unanswered would move
     * money with nobody told. Each is logged (never its content) and counted once per delivery (a batch re-delivered
     * after a failure counts it again).
     */
    private List<ConsumerRecord<String, byte[]>> answerable(List<ConsumerRecord<String, byte[]>> records) {
        List<ConsumerRecord<String, byte[]>> allowed = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            Header replyTopic = record.headers().lastHeader(LedgerHeaders.REPLY_TOPIC);
            Header correlation = record.headers().lastHeader(LedgerHeaders.CORRELATION_ID);
            int keyBytes = utf8Length(record.key());
            int correlationBytes = correlation == null || correlation.value() == null ? 0 : correlation.value().length;
            if (replyTopic != null && (replyTopic.value() == null
                    || !replyTopics.allows(new String(replyTopic.value(), StandardCharsets.UTF_8)))) {
                refusedReplyTopic.increment();
                log.warn("Ledger request at {}-{}@{} not decided: its reply topic is not one of"
                        + " playbill.ledger.reply-topics", record.topic(), record.partition(), record.offset());
            } else if (keyBytes > MAX_ECHO_BYTES || correlationBytes > MAX_ECHO_BYTES) {
                refusedEcho.increment();
                log.warn("Ledger request at {}-{}@{} not decided: its key ({} bytes) or correlation id ({} bytes) is"
                                + " longer than the {} bytes a reply echoes", record.topic(), record.partition(),
                        record.offset(), keyBytes, correlationBytes, MAX_ECHO_BYTES);
            } else {
                allowed.add(record);
            }
        }
        return allowed;
    }

    /** The bytes {@code text} takes in a reply's key; counted only up to where it is too long anyway. */
    private static int utf8Length(String text) {
        if (text == null) {
            return 0;
        }
        return text.length() > MAX_ECHO_BYTES ? text.length() : text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The batch's decisions, in record order; {@code null} for a parked request. The whole batch in one transaction,
     * and only when that fails for a reason of its own, one request at a time.
     */
    private List<Decision> decide(List<ConsumerRecord<String, byte[]>> records) {
        try {
            List<Decision> decisions = decideInOneTransaction(records);
            if (!allFailedSince.isEmpty() && !records.isEmpty()) {
                allFailedSince.remove(position(records.get(0)));
            }
            return decisions;
        } catch (RuntimeException failure) {
            if (Failures.isTransient(failure)) {
                throw failure;
            }
            log.warn("Deciding a batch of {} requests failed ({}): deciding them one at a time", records.size(),
                    Failures.describe(failure));
            return decideOneAtATime(records, failure);
        }
    }

    private List<Decision> decideOneAtATime(List<ConsumerRecord<String, byte[]>> records,
                                            RuntimeException batchFailure) {
        List<Decision> decisions = new ArrayList<>(records.size());
        Map<ConsumerRecord<String, byte[]>, RuntimeException> failing = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            RuntimeException last = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                try {
                    decisions.add(decideInOneTransaction(List.of(record)).get(0));
                    last = null;
                    break;
                } catch (RuntimeException failure) {
                    if (Failures.isTransient(failure)) {
                        throw failure;
                    }
                    last = failure;
                }
            }
            if (last != null) {
                decisions.add(null);
                failing.put(record, last);
            }
        }
        String batch = position(records.get(0));
        if (failing.size() == records.size() && records.stream().map(ConsumerRecord::key).distinct().count() > 1) {
            // Every user's request failed: the cause is likely not in one request, so the batch is retried whole
            // rather than parked. Only for a while: two bad requests of two users would otherwise hold these
            // partitions, and the expiry scanner that waits for them, for good.
            long since = allFailedSince.computeIfAbsent(batch, key -> System.nanoTime());
            if (System.nanoTime() - since < allFailedPatience.toNanos()) {
                throw batchFailure;
            }
            log.error("Every request of the batch at {} failed on its own for {}: parking them one by one", batch,
                    allFailedPatience);
        }
        allFailedSince.remove(batch);
        failing.forEach(this::park);
        return decisions;
    }

    private static String position(ConsumerRecord<String, byte[]> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private void park(ConsumerRecord<String, byte[]> record, RuntimeException failure) {
        String requestId = null;
        try {
            requestId = json.readValue(record.value(), LedgerRequest.class).requestId();
        } catch (IOException | RuntimeException unreadable) {
            // Readable requests only get this far; the id is for the operator's eyes anyway.
        }
        String error = Failures.describe(failure);
        parked.park(record, requestId, error, attempts);
        log.error("Parked ledger request {} at {}-{}@{} of {} after {} attempts: {}. Unanswered; the user's later"
                        + " requests are decided as usual. An operator retries or skips it (docs/operations.md,"
                        + " \"Parked items\").", requestId, record.topic(), record.partition(), record.offset(),
                record.key(), attempts, error);
    }

    /** An operator's {@link LedgerOperation.ResolveParked}, once the batch's own transaction is over. */
    private LedgerReply resolveParked(ConsumerRecord<String, byte[]> record) {
        LedgerRequest request;
        try {
            request = json.readValue(record.value(), LedgerRequest.class);
        } catch (IOException e) {
            throw new IllegalStateException("An operator request that was readable a moment ago", e);
        }
        LedgerOperation.ResolveParked resolve = (LedgerOperation.ResolveParked) request.operation();
        Actor actor = request.actor();
        if (actor == null || !actor.hasRole(Actor.ADMIN) || !actor.userId().equals(request.userId())) {
            return LedgerReply.refused(request.requestId(), LedgerError.INVALID_REQUEST,
                    "Only an admin, acting for themself, may retry or skip parked items");
        }
        // Checked as every other request's is: a user id the database cannot store failed the first statement
        // below, and its batch was retried for ever, every user of its partition unanswered meanwhile.
        Optional<LedgerReply> refused = new Request(request.userId(), request.receivedAtMillis(), actor).refusal()
                .map(refusal -> LedgerReply.refused(request.requestId(), refusal.error(), refusal.message()));
        if (refused.isPresent()) {
            return refused.get();
        }
        // Control characters name nothing parked, and the answer, which echoes the item, could not be kept.
        if (!"retry".equals(resolve.action()) && !"skip".equals(resolve.action())
                || !CleanText.isClean(resolve.item())) {
            return LedgerReply.refused(request.requestId(), LedgerError.INVALID_REQUEST,
                    "A parked item is retried or skipped, and named");
        }
        String consumer = String.valueOf(resolve.consumer());
        if (!PARKING_CONSUMERS.contains(consumer)) {
            return LedgerReply.refused(request.requestId(), LedgerError.INVALID_REQUEST,
                    "The ledger's consumers are intake, expiry and publisher");
        }
        // Delivered again after it took effect (its reply not sent, its offset not yet committed): the first answer,
        // not "not found" for the item it resolved itself.
        Optional<LedgerReply> earlier = resolutions.answered(request.requestId(), actor.userId(), consumer,
                resolve.item(), resolve.action());
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Asked asked = new Asked(request.requestId(), actor.userId(), consumer, resolve.item(), resolve.action());
        try {
            return switch (consumer) {
                case "intake" -> resolveParkedRequest(asked);
                case "expiry" -> resolvedAndAnswered(asked,
                        () -> parkedExpiries.resolve(asked.requestId(), asked.item(), asked.action())).reply();
                // Its retry publishes to Kafka, which no database transaction takes back: answered after it.
                default -> answeredAlone(asked, parkedEvents.resolve(asked.requestId(), asked.item(), asked.action()));
            };
        } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
                throw e;
            }
            return answeredAlone(asked, LedgerReply.refused(request.requestId(), LedgerError.STILL_FAILING,
                    Failures.describe(e)));
        }
    }

    /** An operator's retry or skip of a parked item, as asked. */
    private record Asked(String requestId, String operator, String consumer, String item, String action) {
    }

    /** The answer a resolution's request got, and whether this delivery carried it out (else it got an earlier). */
    private record Answer(LedgerReply reply, boolean carriedOut) {
    }

    /**
     * Carries out {@code resolution} and keeps its answer in one transaction: if the answer cannot be kept (a database
     * blip), the resolution did not happen either, and the request delivered again is carried out then. If a
     * concurrent delivery of the same request answered first, this one is rolled back and gets that answer.
     */
    private Answer resolvedAndAnswered(Asked asked, Supplier<LedgerReply> resolution) {
        return Objects.requireNonNull(transaction.execute(status -> {
            LedgerReply reply = resolution.get();
            Optional<LedgerReply> earlier = resolutions.keep(asked.operator(), asked.consumer(), asked.item(),
                    asked.action(), reply);
            if (earlier.isPresent()) {
                status.setRollbackOnly();
                return new Answer(earlier.get(), false);
            }
            return new Answer(reply, true);
        }));
    }

    /** Keeps the answer of a resolution that changed nothing, or that no transaction can take back. */
    private LedgerReply answeredAlone(Asked asked, LedgerReply reply) {
        return resolvedAndAnswered(asked, () -> reply).reply();
    }

    private LedgerReply resolveParkedRequest(Asked asked) {
        String requestId = asked.requestId();
        String operator = asked.operator();
        long id;
        try {
            id = Long.parseLong(asked.item());
        } catch (NumberFormatException e) {
            return answeredAlone(asked, LedgerReply.refused(requestId, LedgerError.INVALID_REQUEST,
                    "A parked request is named by its id"));
        }
        if ("skip".equals(asked.action())) {
            Answer skipped = resolvedAndAnswered(asked, () -> parked.skipped(id, operator)
                    ? new LedgerReply(requestId, true, null, "Skipped: never decided", null, null, null)
                    : notParked(requestId, id));
            if (skipped.carriedOut() && skipped.reply().accepted()) {
                log.warn("Operator {} skipped parked ledger request {}: it is never decided", operator, id);
            }
            return skipped.reply();
        }
        // Claimed, decided, marked retried and answered in one transaction: another operator's retry or skip of the
        // same item (two admins, two instances) waits for it and then finds nothing parked, so it is decided once.
        Decision[] retried = new Decision[1];
        Answer answer;
        try {
            answer = resolvedAndAnswered(asked, () -> parked.claim(id).map(record -> {
                retried[0] = decideInOneTransaction(List.of(record)).get(0);
                parked.retried(id, operator);
                LedgerReply decided = retried[0].reply();
                return new LedgerReply(requestId, true, null, "Decided: " + (decided.accepted() ? "accepted"
                        : "refused " + decided.errorCode() + " (" + decided.message() + ")"), null, null, null);
            }).orElseGet(() -> notParked(requestId, id)));
        } catch (RuntimeException failure) {
            if (Failures.isTransient(failure)) {
                throw failure;
            }
            parked.failedAgain(id, Failures.describe(failure));
            return answeredAlone(asked, LedgerReply.refused(requestId, LedgerError.STILL_FAILING,
                    Failures.describe(failure)));
        }
        // Counted and logged only when this delivery's decision committed, not one rolled back for an earlier answer.
        if (answer.carriedOut() && retried[0] != null) {
            count(retried[0]);
            log.info("Operator {} retried parked ledger request {}: {}", operator, id, answer.reply().message());
        }
        return answer.reply();
    }

    private static LedgerReply notParked(String requestId, long id) {
        return LedgerReply.refused(requestId, LedgerError.PARKED_ITEM_NOT_FOUND, "No parked request has id " + id);
    }

    /**
     * A batch that fails leaves the accounts it touched out of the cache (VersionCheckedCachingRepository). A request
     * whose refusal is kept ({@link RefusedRequests}) and was refused before gets that refusal again, undecided; its
     * refusal now is kept in the batch's transaction.
     */
    private List<Decision> decideInOneTransaction(List<ConsumerRecord<String, byte[]>> records) {
        return transaction.execute(status -> {
            handler.beforeBatch(records.stream().map(ConsumerRecord::key).filter(Objects::nonNull).toList());
            List<LedgerRequest> requests = new ArrayList<>(records.size());
            // Per record: the key its refusal is kept under, or null.
            List<RefusedRequests.Key> keys = new ArrayList<>(records.size());
            for (ConsumerRecord<String, byte[]> record : records) {
                LedgerRequest request = read(record);
                requests.add(request);
                keys.add(request == null ? null : RefusedRequests.keyOf(request, record.value()));
            }
            RefusedRequests.Batch refused = refusals.batch(keys.stream().filter(Objects::nonNull).toList());
            List<Decision> decisions = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                RefusedRequests.Key key = keys.get(i);
                LedgerReply earlier = key == null ? null : refused.earlier(key);
                Decision decision = earlier != null ? new Decision(operationOf(requests.get(i)), earlier)
                        : decide(records.get(i), requests.get(i));
                decisions.add(decision);
                if (earlier == null && key != null && !decision.reply().accepted()
                        && decision.reply().errorCode() != null) {
                    refused.refused(key, decision.reply());
                }
            }
            refused.save();
            return decisions;
        });
    }

    /** The request in {@code record}, or null when it cannot be read (logged). */
    private LedgerRequest read(ConsumerRecord<String, byte[]> record) {
        try {
            LedgerRequest request = json.readValue(record.value(), LedgerRequest.class);
            if (request == null) {
                throw new IOException("the value is the JSON null, not a request");
            }
            return request;
        } catch (IOException | RuntimeException e) {
            log.warn("Unreadable ledger request at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return null;
        }
    }

    private static String operationOf(LedgerRequest request) {
        return request.operation() == null ? UNREADABLE
                : OPERATIONS.getOrDefault(request.operation().getClass(), UNREADABLE);
    }

    private Decision decide(ConsumerRecord<String, byte[]> record, LedgerRequest request) {
        if (request == null) {
            return new Decision(UNREADABLE, LedgerReply.refused("unknown", LedgerError.INVALID_REQUEST,
                    "Unreadable request"));
        }
        String operation = operationOf(request);
        if (!request.userId().equals(record.key())) {
            // The key decides the partition, i.e. the order of this user's requests: it must be the user.
            return new Decision(operation, LedgerReply.refused(request.requestId(), LedgerError.INVALID_REQUEST,
                    "A request's Kafka key must be its user id"));
        }
        if (request.operation() instanceof LedgerOperation.ResolveParked) {
            return new Decision(operation, OPERATOR_REQUEST);
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

    /**
     * Sends {@code reply}; a send refused for good for this record alone completes this normally, logged and counted:
     * it is this request's own fault and would fail every redelivery. Any other failure completes it exceptionally.
     */
    private CompletableFuture<?> answer(ConsumerRecord<String, byte[]> request, LedgerReply reply) {
        CompletableFuture<?> sending;
        try {
            sending = sendReply(request, reply);
        } catch (RuntimeException failure) {
            sending = CompletableFuture.failedFuture(failure);
        }
        return sending.handle((sent, failure) -> {
            if (failure == null) {
                return sent;
            }
            if (!refusedForGood(failure)) {
                throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
            }
            unanswered.increment();
            log.error("The reply to ledger request {} at {}-{}@{} could not be sent; its decision stands unanswered:"
                    + " {}", CleanText.forLog(reply.requestId()), request.topic(), request.partition(), request.offset(),
                    Failures.describe(failure));
            return null;
        });
    }

    /**
     * Whether a reply's send failed for a reason of that record's own: too large or invalid, which every redelivery
     * would meet again. Nothing else is: a retriable error (broker down, leader moving) or one of the broker or the
     * producer (an unknown server error, a fenced or out-of-sequence producer, a refused login) would meet every reply
     * of the batch, and is waited out by its retry rather than leaving all those decisions unanswered.
     */
    private static boolean refusedForGood(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
                    || cause instanceof InvalidRecordException || cause instanceof InvalidTopicException) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<?> sendReply(ConsumerRecord<String, byte[]> request, LedgerReply reply) {
        Header replyTopic = request.headers().lastHeader(LedgerHeaders.REPLY_TOPIC);
        Header correlation = request.headers().lastHeader(LedgerHeaders.CORRELATION_ID);
        if (replyTopic == null || correlation == null) {
            // Nobody waits for this one (e.g. a request re-sent by an operator): the decision stands.
            return CompletableFuture.completedFuture(null);
        }
        String topic = new String(replyTopic.value(), StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, replyPartition(request, topic),
                request.key(), toJson(reply));
        record.headers().add(LedgerHeaders.CORRELATION_ID, correlation.value());
        return replies.send(record);
    }

    /**
     * The partition the requester reads (decision 035), or null (Kafka chooses by user) when it named none or one the
     * topic does not have: sending to a missing partition would fail the batch on every redelivery.
     */
    private Integer replyPartition(ConsumerRecord<String, byte[]> request, String topic) {
        Header header = request.headers().lastHeader(LedgerHeaders.REPLY_PARTITION);
        OptionalInt partition = LedgerHeaders.replyPartition(header == null ? null : header.value());
        if (partition.isEmpty()) {
            return null;
        }
        int named = partition.getAsInt();
        return named >= 0 && named < replies.partitionsFor(topic).size() ? named : null;
    }

    private byte[] toJson(LedgerReply reply) {
        try {
            return json.writeValueAsBytes(reply);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize a ledger reply", e);
        }
    }
}
