package io.playbill.gateway.fairuse;

import io.playbill.gateway.web.ErrorCodes;
import io.playbill.gateway.web.JsonErrorWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Answers 429 {@code rate_limited} with {@code Retry-After} (whole seconds, rounded up) to a player over their rate,
 * or with as many requests open at once as {@code playbill.rate-limit.in-flight} allows.
 * Runs after Spring Security has authenticated the request and before any controller or route: every request with
 * a verified user token counts, whatever its path. Requests without one are refused by Spring Security already.
 *
 * <p>Staff (role {@code admin} or {@code finance}) are not limited: their tokens are the customer's back office and
 * payment systems, which top up every player's balance through one identity. They still pass the concurrency
 * budgets.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private static final Set<String> STAFF_AUTHORITIES = Set.of("ROLE_ADMIN", "ROLE_FINANCE");

    private final UserRateLimits limits;
    private final RateLimitProperties settings;
    private final JsonErrorWriter errors;
    private final UserRequestsInFlight inFlight;

    RateLimitFilter(UserRateLimits limits, RateLimitProperties settings, JsonErrorWriter errors) {
        this.limits = limits;
        this.settings = settings;
        this.errors = errors;
        this.inFlight = new UserRequestsInFlight(settings.inFlight());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (user != null && user.isAuthenticated() && !(user instanceof AnonymousAuthenticationToken)
                && !isStaff(user)) {
            String userId = user.getName();
            // Counted in before the bucket is asked, so that a request refused for what is open takes no token.
            if (!inFlight.enter(userId)) {
                response.setHeader(HttpHeaders.RETRY_AFTER, "1");
                errors.write(response, HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.RATE_LIMITED, "Too many requests "
                        + "from this user open at once: at most " + inFlight.limit() + "; retry when one is answered");
                return;
            }
            Optional<Duration> refusal = limits.refusal(userId);
            if (refusal.isPresent()) {
                inFlight.leave(userId);
                long seconds = wholeSecondsUp(refusal.get());
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                errors.write(response, HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.RATE_LIMITED, "Too many requests "
                        + "from this user: at most " + settings.requestsPerSecond() + " per second, "
                        + settings.burst() + " at once; retry in " + seconds + " s");
                return;
            }
            try {
                chain.doFilter(request, response);
            } finally {
                WhenRequestEnds leave = new WhenRequestEnds(() -> inFlight.leave(userId));
                if (request.isAsyncStarted()) {
                    request.getAsyncContext().addListener(leave);
                } else {
                    leave.run();
                }
            }
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isStaff(Authentication user) {
        return user.getAuthorities().stream()
                .anyMatch(granted -> STAFF_AUTHORITIES.contains(granted.getAuthority()));
    }

    private static long wholeSecondsUp(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
