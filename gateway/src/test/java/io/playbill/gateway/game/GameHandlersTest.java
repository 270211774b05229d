package io.playbill.gateway.game;

import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The SDK's token calls run without Spring MVC's per-call method validation, and still refuse what it refused. */
class GameHandlersTest extends NoneModeGatewayTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Test
    void noGameHandlerIsMethodValidatedOnEveryCall() {
        List<HandlerMethod> game = mappings.getHandlerMethods().values().stream()
                .filter(handler -> handler.getBeanType() == GameController.class)
                .toList();

        assertThat(game).as("the game handlers").hasSizeGreaterThanOrEqualTo(4);
        // A constraint on a parameter (not inside a @Valid body) makes Spring MVC validate the method on every
        // call, looking up its validation groups each time.
        assertThat(game).allSatisfy(handler -> assertThat(handler.shouldValidateArguments())
                .as(handler.getMethod().getName()).isFalse());
    }

    @Test
    void anAuthTokenForABadSessionIsRefusedAsTheConstraintRefusedIt() {
        String alice = UserTokens.of("alice");
        for (String session : new String[]{"", "foo-bar", "a".repeat(65), "f%C3%B6o"}) {
            HttpResult refused = http.get("/api/game/authToken?session=" + session, alice);

            assertThat(refused.status()).as(session).isEqualTo(400);
            assertThat(refused.errorCode()).as(session).isEqualTo("invalid_session");
            assertThat(refused.json().path("error").path("message").asText()).as(session)
                    .isEqualTo("session must be 1-64 ASCII letters or digits");
        }
        assertThat(http.get("/api/game/authToken?session=" + "a".repeat(64), alice).status()).isEqualTo(200);
    }
}
