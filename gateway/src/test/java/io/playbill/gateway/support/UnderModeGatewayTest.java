package io.playbill.gateway.support;

import io.playbill.gateway.GatewayApplication;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway on a real port in billing mode under, talking to the real Kafka broker of test-support, with a
 * {@link LedgerResponder} per test class in place of the ledger. Every subclass shares one application context.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "playbill.billing.mode=under",
                // Short, so silent-ledger tests are quick; long enough for a first request on a cold 2-core machine.
                "playbill.ledger.timeout=3s",
                "playbill.ledger.retry-after=7s",
                "playbill.game.queues=standard,premium",
                // The standalone profile turns cloud games on; these tests run without them (and without a database).
                "playbill.cloud.enabled=false"})
@ActiveProfiles("standalone")
public abstract class UnderModeGatewayTest {

    protected static final String DEV_TOKEN_SECRET = NoneModeGatewayTest.DEV_TOKEN_SECRET;

    protected static LedgerResponder ledger;

    @LocalServerPort
    private int port;

    protected GatewayHttp http;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", UnderModeGatewayTest::bootstrapServers);
    }

    @BeforeAll
    static void startLedger() {
        ledger = LedgerResponder.start(bootstrapServers());
    }

    @AfterAll
    static void stopLedger() {
        ledger.close();
    }

    @BeforeEach
    void connect() {
        http = new GatewayHttp(port);
        ledger.stayQuiet();
        ledger.drain();
    }

    protected static String bootstrapServers() {
        return PlaybillTestInfrastructure.shared().kafkaBootstrapServers();
    }
}
