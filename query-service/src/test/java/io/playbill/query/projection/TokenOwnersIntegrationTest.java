package io.playbill.query.projection;

import io.playbill.query.support.QueryServiceTest;
import io.playbill.service.axon.TokenTables;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.lang.management.ManagementFactory;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two token stores, as two instances of a service have, each own their claims. Axon's default owner, the JVM's
 * {@code pid@hostname}, is the same for two stores of one JVM, and for two replicas running as pid 1 under one
 * hostname: both then claimed the same segment, so both published (or projected) the same events.
 */
class TokenOwnersIntegrationTest extends QueryServiceTest {

    @Autowired
    private ConnectionProvider connections;
    @Autowired
    private PlatformTransactionManager transactions;

    @Test
    void aSegmentOneStoreClaimedIsNotClaimedByAnother() {
        TokenStore first = TokenTables.jdbcTokenStore(connections, serializer);
        TokenStore second = TokenTables.jdbcTokenStore(connections, serializer);
        String processor = "owners-" + UUID.randomUUID();
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(status -> first.initializeTokenSegments(processor, 1));

        transaction.executeWithoutResult(status -> first.fetchToken(processor, 0));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> second.fetchToken(processor, 0)))
                .isInstanceOf(UnableToClaimTokenException.class);
        assertThat(jdbc.queryForObject("select owner from token_entry where processor_name = ?", String.class,
                processor)).as("the JVM's name stays readable").startsWith(ManagementFactory
                .getRuntimeMXBean().getName() + "/");
    }
}
