package io.playbill.query;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The query service has no event store of its own: its projections stream the ledger-events topic (see the
 * {@code axon.eventhandling.processors} settings), and their tokens sit next to the projection tables.
 */
@Configuration
class ProjectionConfiguration {

    /** A plain event bus keeps Axon from creating an event store here. */
    @Bean
    EventBus eventBus() {
        return SimpleEventBus.builder().build();
    }

    /** Axon's JDBC token store with the snake_case table of our Flyway schema. */
    @Bean
    TokenStore tokenStore(ConnectionProvider connections, @Qualifier("serializer") Serializer serializer) {
        TokenSchema schema = TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
        return JdbcTokenStore.builder().connectionProvider(connections).serializer(serializer).schema(schema).build();
    }
}
