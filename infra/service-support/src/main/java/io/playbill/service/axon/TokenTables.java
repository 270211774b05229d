package io.playbill.service.axon;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;

import java.lang.management.ManagementFactory;
import java.util.UUID;

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
        return JdbcTokenStore.builder().connectionProvider(connections).serializer(serializer).schema(schema)
                .nodeId(ownerName()).build();
    }

    /**
     * Who claims the processors' segments: Axon's default, the JVM's {@code pid@hostname}, is the same for two
     * replicas that both run as pid 1 under one hostname (a container with a fixed hostname scaled to two), and
     * both would then own every claim: each event published twice, each projection batch applied twice. The
     * default stays readable in {@code token_entry.owner}, with a random part that makes it this store's own.
     */
    private static String ownerName() {
        String runtime = ManagementFactory.getRuntimeMXBean().getName();
        return (runtime.length() > 200 ? runtime.substring(0, 200) : runtime) + "/" + UUID.randomUUID();
    }
}
