package io.playbill.gateway.fairuse;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.playbill.gateway.web.ErrorCodes;
import io.playbill.gateway.web.JsonErrorWriter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds a permit of the request's {@link ConcurrencyBudgets budget} while the request is worked on, or answers 503
 * {@code busy} with {@code Retry-After} when the budget is spent. A request that goes asynchronous (the game and
 * admin-account controllers return futures the ledger reply completes) keeps its permit until the response is
 * complete, timed out or failed, not just until its first thread is let go.
 */
final class ConcurrencyLimitFilter extends OncePerRequestFilter {

    static final long RETRY_AFTER_SECONDS = 1;

    private final ConcurrencyBudgets budgets;
    private final JsonErrorWriter errors;

    ConcurrencyLimitFilter(ConcurrencyBudgets budgets, JsonErrorWriter errors) {
        this.budgets = budgets;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<ConcurrencyBudgets.Budget> budget = budgets.of(request);
        if (budget.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Bulkhead bulkhead = budget.get().bulkheads().stream().filter(Bulkhead::tryAcquirePermission).findFirst()
                .orElse(null);
        if (bulkhead == null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS));
            errors.write(response, HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.BUSY, "The gateway is working on as "
                    + "many " + budget.get().kind() + " requests as it takes at once; retry shortly");
            return;
        }
        Permit permit = new Permit(bulkhead);
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(permit);
            } else {
                permit.release();
            }
        }
    }

    /** Released once, whichever way the request ends. */
    private static final class Permit implements AsyncListener {

        private final Bulkhead bulkhead;
        private final AtomicBoolean released = new AtomicBoolean();

        Permit(Bulkhead bulkhead) {
            this.bulkhead = bulkhead;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                bulkhead.onComplete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release();
        }

        @Override
        public void onError(AsyncEvent event) {
            release();
        }

        /** A new asynchronous cycle drops the listeners of the last one: stay registered. */
        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
