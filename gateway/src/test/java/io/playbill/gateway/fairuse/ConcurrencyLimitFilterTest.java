package io.playbill.gateway.fairuse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.playbill.gateway.web.JsonErrorWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How long each place of a budget is held, on the filter alone: a request "in progress" is one whose filter chain
 * is still running, so a call made from inside another call's chain meets the places that call holds. SDK token calls
 * hold a thread place only until their request thread lets go, and a waiting place until their response is complete
 * (here 1 game thread, 1 stop thread beyond it, 2 game waiting places and 1 stop waiting place beyond them).
 * {@link ConcurrencyBudgetsTest} attacks the same budgets through a running gateway.
 */
class ConcurrencyLimitFilterTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final ConcurrencyLimitFilter filter = new ConcurrencyLimitFilter(
            new ConcurrencyBudgets(new ConcurrencyProperties(1, 1, 1, 1, 1, 2, 1), "/ops"),
            new JsonErrorWriter(new ObjectMapper()), meters);
    private final List<MockAsyncContext> waitingForTheLedger = new ArrayList<>();

    @Test
    void aGameCallOnItsThreadHoldsTheGameThreadsAndAStopTakesTheReserveUntilThatIsHeldToo() throws Exception {
        MockHttpServletResponse[] inside = new MockHttpServletResponse[3];

        MockHttpServletResponse renew = call("/api/game/renew", (request, response) -> {
            inside[0] = call("/api/game/start", nothing());
            inside[1] = call("/api/game/stop", (stopRequest, stopResponse) ->
                    inside[2] = call("/api/game/stop", nothing()));
        });

        assertThat(renew.getStatus()).isEqualTo(200);
        assertBusy(inside[0], "working on as many game requests");
        assertThat(inside[1].getStatus()).as("the stop takes the stop reserve's thread").isEqualTo(200);
        assertBusy(inside[2], "working on as many stop requests");
        assertThat(call("/api/game/start", nothing()).getStatus()).as("every thread place is back").isEqualTo(200);
    }

    @Test
    void aGameCallWaitingForTheLedgerHoldsAWaitingPlaceButNoThreadPlace() throws Exception {
        assertThat(call("/api/game/renew", goAsynchronous()).getStatus()).isEqualTo(200);
        assertThat(call("/api/game/renew", goAsynchronous()).getStatus())
                .as("the first one's thread place is back, though it still waits").isEqualTo(200);

        assertBusy(call("/api/game/renew", goAsynchronous()), "requests waiting for the ledger");
        assertThat(call("/api/game/stop", goAsynchronous()).getStatus()).as("a stop waits beyond them")
                .isEqualTo(200);
        assertBusy(call("/api/game/stop", goAsynchronous()), "requests waiting for the ledger");

        waitingForTheLedger.remove(0).complete();
        assertThat(call("/api/game/renew", goAsynchronous()).getStatus()).as("an answered call's place is back")
                .isEqualTo(200);
        assertThat(refused("game", "waiting")).isEqualTo(1);
        assertThat(refused("stop", "waiting")).isEqualTo(1);
        assertThat(refused("game", "threads")).isZero();
    }

    @Test
    void aRefusedWaitingPlaceGivesItsThreadPlaceBack() throws Exception {
        call("/api/game/renew", goAsynchronous());
        call("/api/game/renew", goAsynchronous());
        for (int attempt = 0; attempt < 3; attempt++) {
            assertBusy(call("/api/game/renew", goAsynchronous()), "requests waiting for the ledger");
        }

        waitingForTheLedger.forEach(MockAsyncContext::complete);
        assertThat(call("/api/game/renew", nothing()).getStatus()).as("the one game thread place is free")
                .isEqualTo(200);
    }

    @Test
    void aKindWithoutWaitingPlacesHoldsItsThreadPlaceUntilItsResponseIsComplete() throws Exception {
        assertThat(call("/api/me/balance", goAsynchronous()).getStatus()).isEqualTo(200);

        assertBusy(call("/api/me/balance", nothing()), "working on as many read requests");
        waitingForTheLedger.remove(0).complete();
        assertThat(call("/api/me/balance", nothing()).getStatus()).isEqualTo(200);
    }

    /**
     * What the chain throws leaves the filter, whatever the kind, and the place comes back: for requests outside every
     * budget, a {@code return} in the filter's {@code finally} once swallowed it, and the request ended as an empty
     * 200 instead of the error page's 4xx.
     */
    @Test
    void aFailureInTheChainLeavesTheFilterAndGivesThePlaceBack() throws Exception {
        for (String path : new String[]{"/api/admin/accounts/u/deposits", "/api/me/balance", "/api/game/renew"}) {
            IllegalStateException failure = new IllegalStateException("the chain failed");
            assertThatThrownBy(() -> call(path, (request, response) -> {
                throw failure;
            })).as(path).isSameAs(failure);
            assertThat(call(path, nothing()).getStatus()).as(path + ": the one place is back").isEqualTo(200);
        }
    }

    private double refused(String kind, String part) {
        return meters.get("playbill.gateway.concurrency.refused").tag("kind", kind).tag("part", part).counter()
                .count();
    }

    /**
     * Requests outside every budget share the headroom (1 here); liveness checks nothing and is never refused, also
     * where the operator moved the actuator (here to /ops): refused, it would have a healthy gateway restarted.
     */
    @Test
    void aMovedLivenessProbeIsNeverRefusedWhileTheHeadroomIsHeld() throws Exception {
        MockHttpServletResponse[] inside = new MockHttpServletResponse[2];

        call("GET", "/ops/health", (request, response) -> {
            inside[0] = call("GET", "/ops/health", nothing());
            inside[1] = call("GET", "/ops/health/liveness", nothing());
        });

        assertBusy(inside[0], "working on as many other requests");
        assertThat(inside[1].getStatus()).isEqualTo(200);
    }

    private MockHttpServletResponse call(String path, FilterChain chain) throws IOException, ServletException {
        return call("POST", path, chain);
    }

    private MockHttpServletResponse call(String method, String path, FilterChain chain)
            throws IOException, ServletException {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setAsyncSupported(true);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, chain);
        return response;
    }

    private static FilterChain nothing() {
        return (request, response) -> {
        };
    }

    private FilterChain goAsynchronous() {
        return (request, response) -> waitingForTheLedger.add((MockAsyncContext) request.startAsync());
    }

    private static void assertBusy(MockHttpServletResponse response, String why) throws Exception {
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(response.getContentAsString()).contains("\"busy\"").contains(why);
    }
}
