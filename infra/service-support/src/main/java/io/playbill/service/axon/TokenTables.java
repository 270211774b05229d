package io.playbill.service.axon;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;

/**
 * The streaming processors' tokens in both services that run Axon: Axon's JDBC token store on the snake_case
 * {@code token_entry} table their Flyway migrations make (decisions 007 and 031).
 */
public final class TokenTables {

    private TokenTables() {
    }

    public static TokenStore jdbcTokenStore(ConnectionProvider connections, Serializer serializer) {
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
