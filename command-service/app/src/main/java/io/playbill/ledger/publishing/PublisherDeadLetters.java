package io.playbill.ledger.publishing;

import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.parked.Failures;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.deadletter.jpa.JpaSequencedDeadLetterQueue;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaEventPublisher;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.Iterator;

/**
 * The publisher's parked events: Axon's sequenced dead-letter queue ({@link JpaSequencedDeadLetterQueue}, table
 * {@code dead_letter_entry}) on the publishing processing group. An event Kafka refuses for good (e.g. a record too
 * large) is dead-lettered with its cause, and the user's later events queue behind it (sequenced per aggregate): the
 * topic never shows a user's events out of order, and everyone else's events go on.
 *
 * <p>Kafka's own producer already retries what can be retried (until {@code delivery.timeout.ms}). A failure every
 * event would meet, a broker that cannot be reached, is never dead-lettered: {@link #policy} throws it, the
 * processor rolls the batch back and retries it with back-off until the broker is back.
 */
@Component
public class PublisherDeadLetters {

    static final String GROUP = KafkaEventPublisher.DEFAULT_PROCESSING_GROUP;
    private static final Logger log = LoggerFactory.getLogger(PublisherDeadLetters.class);

    private final EventProcessingConfiguration processing;
    private final ApplicationContext context;
    /** Set when this service starts to stop (before any processor, producer or pool is stopped). */
    private volatile boolean stopping;

    PublisherDeadLetters(@Lazy EventProcessingConfiguration processing, ApplicationContext context) {
        this.processing = processing;
        this.context = context;
    }

    /**
     * Dead-letter only what is about the event; anything else fails the batch (retried until it is over). Nothing
     * is dead-lettered once the service has begun to stop: the producer closed under a send fails every event alike
     * ({@code KafkaException: Producer closed while send in progress}, not a retriable one), so the batch is rolled
     * back and published again by the next start, instead of parking an event that nothing is wrong with.
     */
    EnqueuePolicy<EventMessage<?>> policy() {
        return (letter, cause) -> {
            if (stopping || Failures.isTransient(cause)) {
                throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
            }
            log.error("The publisher parked event {} of {}: {}. The user's later events wait behind it until an"
                            + " operator retries or skips it (docs/operations.md, \"Parked items\").",
                    letter.message().getIdentifier(), userOf(letter.message()), Failures.describe(cause));
            return Decisions.enqueue(cause);
        };
    }

    /** Spring publishes this first when it closes the context, before stopping anything. */
    @EventListener
    void onClose(ContextClosedEvent closed) {
        if (closed.getApplicationContext() == context) {
            stopping = true;
            log.info("Stopping: from now on the publisher parks no event; a batch that fails is published by the"
                    + " next start");
        }
    }

    /**
     * An operator's retry or skip of a user's dead-lettered events. {@code item} is {@code user/event} as the parked
     * list names each event ({@code user} alone for a retry). A skip drops the named event only while it is the user's
     * first parked one: a skip carried out twice (its answer lost, the request redelivered, the operator repeating it)
     * must not drop the event behind it, which nobody has looked at.
     */
    public LedgerReply resolve(String requestId, String item, String action) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = processing.deadLetterQueue(GROUP).orElseThrow();
        // The whole item names a user first: a user id may hold a '/' itself.
        boolean itemIsAUser = queue.contains(item);
        int slash = itemIsAUser ? -1 : item.lastIndexOf('/');
        String user = slash < 0 ? item : item.substring(0, slash);
        String event = slash < 0 ? null : item.substring(slash + 1);
        if (!itemIsAUser && (slash < 0 || !queue.contains(user))) {
            return LedgerReply.refused(requestId, LedgerError.PARKED_ITEM_NOT_FOUND,
                    "The publisher has no parked events of " + user);
        }
        String done = "";
        if ("skip".equals(action)) {
            if (event == null) {
                return LedgerReply.refused(requestId, LedgerError.INVALID_REQUEST,
                        "A skip names the event it drops: user/event, as the parked list shows it");
            }
            Iterator<DeadLetter<? extends EventMessage<?>>> sequence = queue.deadLetterSequence(user).iterator();
            DeadLetter<? extends EventMessage<?>> first = sequence.next();
            if (!first.message().getIdentifier().equals(event)) {
                return LedgerReply.refused(requestId, LedgerError.PARKED_ITEM_NOT_FOUND, "Event " + event + " is not "
                        + user + "'s first parked event (already skipped?); the first is "
                        + first.message().getIdentifier());
            }
            queue.evict(first);
            log.warn("Operator skipped event {} of {}: it will never be published", first.message().getIdentifier(),
                    user);
            done = "skipped event " + first.message().getIdentifier() + "; ";
            if (!queue.contains(user)) {
                return new LedgerReply(requestId, true, null, done + "nothing waited behind it", null, null, null);
            }
        }
        processing.sequencedDeadLetterProcessor(GROUP).orElseThrow()
                .process(letter -> user.equals(userOf(letter.message())));
        if (queue.contains(user)) {
            DeadLetter<? extends EventMessage<?>> first = queue.deadLetterSequence(user).iterator().next();
            return LedgerReply.refused(requestId, LedgerError.STILL_FAILING, done + "event "
                    + first.message().getIdentifier() + " failed again: "
                    + first.cause().map(cause -> cause.type() + ": " + cause.message()).orElse("unknown"));
        }
        log.info("Operator retry published the parked events of {}", user);
        return new LedgerReply(requestId, true, null, done + "published every parked event of " + user, null, null,
                null);
    }

    private static String userOf(EventMessage<?> message) {
        return message instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
    }

    @Configuration
    static class Queue {

        @Bean
        ConfigurerModule publisherDeadLetterQueue(PublisherDeadLetters deadLetters) {
            return configurer -> configurer.eventProcessing(processing -> processing
                    // Failures must reach the dead-letter queue, not be logged and passed over.
                    .registerListenerInvocationErrorHandler(GROUP, c -> PropagatingErrorHandler.instance())
                    .registerDeadLetterPolicy(GROUP, c -> deadLetters.policy())
                    // Remember, per segment, which users have parked events, instead of asking the table before
                    // every event is published. Safe: one instance owns a segment, and only its owner parks new
                    // users' events (an operator's retry or skip only removes or puts back existing ones).
                    .registerDeadLetteringEventHandlerInvokerConfiguration(GROUP,
                            (c, invoker) -> invoker.enableSequenceIdentifierCache())
                    .registerDeadLetterQueue(GROUP, c -> JpaSequencedDeadLetterQueue.builder()
                            .processingGroup(GROUP)
                            .entityManagerProvider(c.getComponent(EntityManagerProvider.class))
                            .transactionManager(c.getComponent(TransactionManager.class))
                            .genericSerializer(c.serializer())
                            .eventSerializer(c.eventSerializer())
                            // Axon's defaults (1,024 users, 1,024 events each) would make the next event to park
                            // fail its whole batch for good: every user of the segment would stop being published.
                            .maxSequences(Integer.MAX_VALUE)
                            .maxSequenceSize(Integer.MAX_VALUE)
                            .build()));
        }
    }
}
