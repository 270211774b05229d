package io.playbill.gateway.support;

import io.playbill.gateway.GatewayApplication;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The gateway on a real port in billing mode none, with the dev settings of the standalone profile (so user tokens
 * are signed with {@link UserTokens#DEV_USER_SECRET}). Every subclass shares one application context.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "playbill.billing.mode=none",
                "playbill.cors.allowed-origins=https://play.example",
                "playbill.game.queues=standard,premium",
                // The standalone profile turns cloud games on; these tests run without them (and without a database).
                "playbill.cloud.enabled=false"})
@ActiveProfiles("standalone")
public abstract class NoneModeGatewayTest {

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
