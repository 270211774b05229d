package io.playbill.gateway.support;

import io.playbill.gateway.GatewayApplication;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The gateway on a real port in billing mode none, with the dev settings of the standalone profile (so user tokens
 * are signed with {@link UserTokens#DEV_USER_SECRET}) and its metrics exported for Prometheus (scraped with
 * {@link #SCRAPE_TOKEN}). Every subclass shares one application context.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "playbill.billing.mode=none",
                "playbill.cors.allowed-origins=https://play.example",
                "playbill.game.queues=standard,premium",
                "playbill.metrics.scrape-token=" + NoneModeGatewayTest.SCRAPE_TOKEN,
                // The standalone profile turns cloud games on; these tests run without them (and without a database).
                "playbill.cloud.enabled=false"})
@ActiveProfiles("standalone")
// Spring Boot tests export no metrics unless asked: this one serves /actuator/prometheus as a deployment does.
@AutoConfigureObservability(tracing = false)
public abstract class NoneModeGatewayTest {

    protected static final String SCRAPE_TOKEN = "gateway-test-scrape-token-0123456789abcdef";

    /** The SDK token secret of the standalone profile. */
    protected static final String DEV_TOKEN_SECRET = "playbill-dev-customer-secret-0123456789abcdef012";

    @LocalServerPort
    private int port;

    protected GatewayHttp http;

    @BeforeEach
    void connect() {
        http = new GatewayHttp(port);
    }
}
