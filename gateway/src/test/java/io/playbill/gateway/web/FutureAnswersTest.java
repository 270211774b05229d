package io.playbill.gateway.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.UnderModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerReply;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A game call's answer, which the ledger decides on another thread, is written without dispatching the request a
 * second time (decision 040), and reads exactly as before: the token or the refusal, with the headers the filters
 * set on the way in and out.
 */
@Import(FutureAnswersTest.CountingDispatches.class)
class FutureAnswersTest extends UnderModeGatewayTest {

    private final String alice = UserTokens.of("alice");

    @Autowired
    private Dispatches dispatches;
    @Autowired
    private MeterRegistry meters;

    @BeforeEach
    void clear() {
        dispatches.clear();
    }

    @Test
    void aRenewIsAnsweredInTheRequestsOnlyDispatch() {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), null, 95L, null));

        HttpResult renewed = renew("fa1");

        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.header("Content-Type")).isEqualTo("application/json");
        assertThat(renewed.json().get("token").asText()).isNotBlank();
        assertThat(renewed.header("X-Content-Type-Options")).as("written by Spring Security on its way out")
                .isEqualTo("nosniff");
        assertThat(renewed.header("Cache-Control")).contains("no-store");
        assertThat(dispatches.of("/api/game/renew")).containsExactly(DispatcherType.REQUEST);
    }

    @Test
    void aLedgerRefusalIsRenderedAsARefusalThrownAtOnce() {
        HttpResult refused = renewRefused("fa2", LedgerError.INSUFFICIENT_BALANCE, "no money left");
        // The same refusal thrown before the ledger is asked: an unknown queue.
        HttpResult thrown = http.get("/api/game/authToken?session=fa2&queue=nope", alice);

        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.body()).isEqualTo("{\"error\":{\"code\":\"insufficient_balance\",\"message\":\"no money left\"}}");
        assertThat(thrown.status()).isEqualTo(400);
        for (String header : List.of("Content-Type", "X-Content-Type-Options", "Cache-Control", "X-Frame-Options")) {
            assertThat(refused.header(header)).as(header).isEqualTo(thrown.header(header)).isNotNull();
        }
        assertThat(dispatches.of("/api/game/renew")).containsExactly(DispatcherType.REQUEST);
    }

    @Test
    void theRequestsTimerRecordsTheStatusOfTheAnswerWrittenAfterTheDispatch() {
        HttpResult refused = renewRefused("fa3", LedgerError.TOO_MANY_SESSIONS, "one at a time");

        assertThat(refused.status()).isEqualTo(409);
        // The observation stops when the request completes, which is after the answer went out: wait for it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(meters.find("http.server.requests")
                .tag("uri", "/api/game/renew").tag("status", "409").tag("outcome", "CLIENT_ERROR").timer())
                .as("the refusal's status, not the 200 the dispatch ended with").isNotNull());
    }

    private HttpResult renewRefused(String session, LedgerError error, String message) {
        ledger.answer(request -> LedgerReply.refused(request.requestId(), error, message));
        return renew(session);
    }

    private HttpResult renew(String session) {
        return http.post("/api/game/renew", alice, "{\"session\":\"" + session + "\",\"lastDeadline\":0}");
    }

    /** The dispatcher types each request path was dispatched with, in order. */
    static final class Dispatches {

        private final List<String> seen = new CopyOnWriteArrayList<>();

        void record(HttpServletRequest request) {
            seen.add(request.getRequestURI() + " " + request.getDispatcherType());
        }

        void clear() {
            seen.clear();
        }

        List<DispatcherType> of(String path) {
            return seen.stream().filter(entry -> entry.startsWith(path + " "))
                    .map(entry -> DispatcherType.valueOf(entry.substring(path.length() + 1))).toList();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class CountingDispatches {

        @Bean
        Dispatches dispatches() {
            return new Dispatches();
        }

        @Bean
        FilterRegistrationBean<Filter> countingDispatches(Dispatches dispatches) {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                dispatches.record((HttpServletRequest) request);
                chain.doFilter(request, response);
            });
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
            registration.setOrder(Ordered.LOWEST_PRECEDENCE);
            return registration;
        }
    }
}
