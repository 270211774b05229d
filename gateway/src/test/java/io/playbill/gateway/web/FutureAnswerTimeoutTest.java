package io.playbill.gateway.web;

import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.UnderModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring MVC's request timeout still bounds a game call answered without its second dispatch (decision 040): below
 * the ledger's own timeout (3 s here), the gateway's answers first.
 */
@TestPropertySource(properties = "spring.mvc.async.request-timeout=1s")
class FutureAnswerTimeoutTest extends UnderModeGatewayTest {

    @Test
    void aCallLongerThanTheRequestTimeoutIsAnsweredUnavailable() {
        // The ledger stays quiet (UnderModeGatewayTest).
        HttpResult result = http.post("/api/game/renew", UserTokens.of("alice"),
                "{\"session\":\"timeout1\",\"lastDeadline\":0}");

        assertThat(result.status()).isEqualTo(503);
        assertThat(result.errorCode()).as("the request timeout's, not the ledger's ledger_unavailable")
                .isEqualTo("service_unavailable");
        assertThat(result.header("Content-Type")).isEqualTo("application/json");
    }
}
