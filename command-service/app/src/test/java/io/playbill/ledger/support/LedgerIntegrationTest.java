package io.playbill.ledger.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The set-up of the ledger's integration tests (a {@code @SpringBootTest} extends it): the ledger on the test JVM's
 * one broker with a database of its own per Spring context, and {@link #ledger}, the gateway's side of it.
 */
public abstract class LedgerIntegrationTest {

    /** Requests as the gateway sends them, and their replies; one per test class. */
    protected static LedgerOverKafka ledger;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LedgerTestInfrastructure.register(registry, "ledger");
    }

    @BeforeAll
    static void connect() {
        ledger = LedgerTestInfrastructure.gateway();
    }

    @AfterAll
    static void disconnect() {
        ledger.close();
    }
}
