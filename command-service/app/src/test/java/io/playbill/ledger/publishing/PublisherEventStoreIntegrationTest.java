package io.playbill.ledger.publishing;

import io.playbill.ledger.support.LedgerIntegrationTest;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The application's one event store, the one Axon's processors read, is the polled one (decision 044). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class PublisherEventStoreIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    Configuration axon;

    @Test
    void theOnlyEventStoreIsThePolledOne() {
        assertThat(context.getBeansOfType(EventBus.class).values())
                .singleElement().isInstanceOf(PolledEventStore.class);
        assertThat(axon.eventStore()).isInstanceOf(PolledEventStore.class);
        assertThat(axon.eventBus()).isSameAs(context.getBean(EventStore.class));
    }
}
