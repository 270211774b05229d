package io.playbill.ledger.publishing;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.EventPublicationFailedException;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.junit.jupiter.api.Test;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a failed publication becomes: parked when the broker refuses the event itself, retried (never parked) when
 * every event would fail alike, which includes any failure once the service has begun to stop.
 */
class PublisherDeadLettersTest {

    /** What a send blocked on the broker's metadata throws when shutdown closes the producer under it. */
    private static final KafkaException PRODUCER_CLOSED =
            new KafkaException("Producer closed while send in progress");

    private final GenericApplicationContext context = new GenericApplicationContext();
    private final PublisherDeadLetters deadLetters = new PublisherDeadLetters(null, context);
    private final DeadLetter<EventMessage<?>> letter =
            new GenericDeadLetter<>("user-1", GenericEventMessage.asEventMessage("FundsDeposited"));

    @Test
    void anEventTheBrokerRefusesForGoodIsParked() {
        var refused = new EventPublicationFailedException("refused", new RecordTooLargeException("too large"));

        assertThat(deadLetters.policy().decide(letter, refused).shouldEnqueue()).isTrue();
    }

    @Test
    void aBrokerThatDoesNotAnswerParksNothing() {
        var unanswered = new EventPublicationFailedException("no ack", new TimeoutException("no broker"));

        assertThatThrownBy(() -> deadLetters.policy().decide(letter, unanswered)).isSameAs(unanswered);
    }

    @Test
    void aProducerClosedUnderASendWhileTheServiceRunsIsAboutTheEvent() {
        assertThat(deadLetters.policy().decide(letter, PRODUCER_CLOSED).shouldEnqueue()).isTrue();
    }

    @Test
    void onceTheServiceStopsNothingIsParkedAndTheBatchIsPublishedByTheNextStart() {
        deadLetters.onClose(new ContextClosedEvent(context));

        assertThatThrownBy(() -> deadLetters.policy().decide(letter, PRODUCER_CLOSED)).isSameAs(PRODUCER_CLOSED);
    }

    @Test
    void anotherContextClosingIsNotThisServiceStopping() {
        deadLetters.onClose(new ContextClosedEvent(new GenericApplicationContext()));

        assertThat(deadLetters.policy().decide(letter, PRODUCER_CLOSED).shouldEnqueue()).isTrue();
    }
}
