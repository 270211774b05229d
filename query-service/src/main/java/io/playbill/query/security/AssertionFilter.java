package io.playbill.query.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.api.messages.CleanText;
import io.playbill.query.web.Caller;
import io.playbill.service.web.ApiErrorBody;
import io.playbill.trust.AssertionRefusedException;
import io.playbill.trust.AssertionVerifier;
import io.playbill.trust.CallerAssertion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Authenticates a request by its {@value CallerAssertion#HEADER}: verified against this very request's method, raw
 * path and query string, it becomes a {@link CallerAuthentication}. A URL-encoded form body is refused (415) before
 * that: its fields would be parameters the assertion does not bind. A request without one, or with one that does not verify,
 * stays anonymous; the authorization rules then answer 401 (the refusal's reason goes into the message) wherever
 * a caller is needed. Not a bean of its own, so that it runs only inside the security filter chain.
 */
final class AssertionFilter extends OncePerRequestFilter {

    /** Request attribute: why the assertion was refused, for the 401's message. */
    static final String REFUSAL = AssertionFilter.class.getName() + ".refusal";

    private static final Logger log = LoggerFactory.getLogger(AssertionFilter.class);

    private final AssertionVerifier verifier;
    private final ObjectMapper json;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    AssertionFilter(AssertionVerifier verifier, ObjectMapper json) {
        this.verifier = verifier;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (hasFormBody(request)) {
            // Its fields would be parameters the assertion does not bind; no endpoint here takes one.
            ApiErrorBody.write(response, json, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "query-service takes no form bodies: send parameters in the query string");
            return;
        }
        List<String> assertions = Collections.list(request.getHeaders(CallerAssertion.HEADER));
        if (assertions.size() > 1) {
            refuse(request, "more than one assertion");
        } else if (assertions.size() == 1) {
            try {
                CallerAssertion verified = verifier.verify(assertions.get(0), request.getMethod(),
                        request.getRequestURI(), CallerAssertion.canonicalQuery(request.getQueryString()));
                SecurityContext context = contexts.createEmptyContext();
                context.setAuthentication(new CallerAuthentication(new Caller(verified.userId(), verified.roles())));
                contexts.setContext(context);
            } catch (AssertionRefusedException e) {
                refuse(request, e.getMessage());
            }
        }
        chain.doFilter(request, response);
    }

    /**
     * A body the container would read as parameters: URL-encoded form fields. (Multipart bodies are never parsed
     * here, and a form content type on a request without a body carries nothing.)
     */
    private static boolean hasFormBody(HttpServletRequest request) {
        String type = request.getContentType();
        boolean body = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        return body && type != null
                && type.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
    }

    private static void refuse(HttpServletRequest request, String reason) {
        // Through the gateway this does not happen: a wrong key, skewed clocks, or someone trying.
        log.warn("Refused the caller assertion of {} {}: {}", request.getMethod(),
                CleanText.forLog(request.getRequestURI()), reason);
        request.setAttribute(REFUSAL, reason);
    }
}
