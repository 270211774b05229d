package io.playbill.gateway.fairuse;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.web.ErrorCodes;
import io.playbill.gateway.web.JsonErrorWriter;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Holds a place of the request's {@link ConcurrencyBudgets budget} while the request is worked on, or answers 503
 * {@code busy} with {@code Retry-After} when the budget is spent. A kind with waiting places (SDK token calls) gives
 * its thread place back once the request thread lets go of the request, and holds a waiting place until the
 * response is complete, timed out or failed; a kind without them holds its thread place that long.
 */
final class ConcurrencyLimitFilter extends OncePerRequestFilter {

    static final long RETRY_AFTER_SECONDS = 1;

    /** Requests of one budget answered 503 busy, by the part of the budget that was spent. */
    private record Refusals(Counter threads, Counter waiting) {
    }

    private final ConcurrencyBudgets budgets;
    private final JsonErrorWriter errors;
    /** Registered up front, so that the series exist before the first refusal, and looked up by identity. */
    private final Map<ConcurrencyBudgets.Budget, Refusals> refusals = new IdentityHashMap<>();

    ConcurrencyLimitFilter(ConcurrencyBudgets budgets, JsonErrorWriter errors, MeterRegistry meters) {
        this.budgets = budgets;
        this.errors = errors;
        for (ConcurrencyBudgets.Budget budget : budgets.budgets()) {
            refusals.put(budget, new Refusals(refused(meters, budget, "threads"),
                    budget.waiting().isEmpty() ? null : refused(meters, budget, "waiting")));
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<ConcurrencyBudgets.Budget> found = budgets.of(request);
        if (found.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        ConcurrencyBudgets.Budget budget = found.get();
        Permit thread = Permit.take(budget.threads());
        if (thread == null) {
            refusals.get(budget).threads().increment();
            busy(response, "is working on as many " + budget.kind() + " requests as it takes at once");
            return;
        }
        // The place held until the response is complete: a waiting place, or the thread place of a kind without
        // (none for a kind that counts threads only).
        boolean waits = !budget.waiting().isEmpty();
        Permit untilComplete = waits ? Permit.take(budget.waiting()) : budget.threadOnly() ? null : thread;
        if (waits && untilComplete == null) {
            thread.release();
            refusals.get(budget).waiting().increment();
            busy(response, "has as many " + budget.kind() + " requests waiting for the ledger as it takes at once");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (untilComplete != thread) {
                thread.release();
            }
            // No return in here: it would swallow what the chain threw, and the request would end as an empty 200.
            if (untilComplete != null && request.isAsyncStarted()) {
                request.getAsyncContext().addListener(untilComplete.whenTheRequestEnds());
            } else if (untilComplete != null) {
                untilComplete.release();
            }
        }
    }

    private static Counter refused(MeterRegistry meters, ConcurrencyBudgets.Budget budget, String part) {
        return Counter.builder("playbill.gateway.concurrency.refused").tag("kind", budget.kind()).tag("part", part)
                .register(meters);
    }

    private void busy(HttpServletResponse response, String what) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS));
        errors.write(response, HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.BUSY, "The gateway " + what
                + "; retry shortly");
    }

    /** Released once, whichever way the request ends. */
    private static final class Permit {

        private final WhenRequestEnds release;

        private Permit(Bulkhead bulkhead) {
            this.release = new WhenRequestEnds(bulkhead::onComplete);
        }

        /** A place of the first of {@code bulkheads} that has one free, or null when all are spent. */
        static Permit take(List<Bulkhead> bulkheads) {
            return bulkheads.stream().filter(Bulkhead::tryAcquirePermission).findFirst().map(Permit::new)
                    .orElse(null);
        }

        void release() {
            release.run();
        }

        /** Releases the place when the asynchronous request ends. */
        AsyncListener whenTheRequestEnds() {
            return release;
        }
    }
}
