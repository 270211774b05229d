package io.playbill.gateway.routing;

import io.playbill.trust.AssertionSigner;
import io.playbill.trust.CallerAssertion;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.servlet.function.ServerRequest;

import java.security.Principal;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The trust boundary of the read routes. query-service believes only a caller assertion signed with the internal
 * key ({@link CallerAssertion}, header {@value CallerAssertion#HEADER}), so this filter removes every client-sent
 * {@code X-Playbill-*} header and signs one per forwarded request: the authenticated user ({@code sub}), the roles
 * the gateway granted (its {@code ROLE_*} authorities, lower-case), and this very request's method, raw path as
 * forwarded (after {@code /api} is stripped) and parameters (those the proxy forwards: the request's as the container
 * decoded them). The user's bearer token and cookies are not passed on: query-service does not need them.
 */
final class TrustedIdentityHeaders implements Function<ServerRequest, ServerRequest> {

    static final String PREFIX = "X-Playbill-";
    private static final String ROLE_AUTHORITY_PREFIX = "ROLE_";

    private final AssertionSigner signer;

    TrustedIdentityHeaders(AssertionSigner signer) {
        this.signer = signer;
    }

    @Override
    public ServerRequest apply(ServerRequest request) {
        Principal principal = request.principal()
                .orElseThrow(() -> new IllegalStateException("Read routes are only reachable authenticated"));
        Set<String> roles = principal instanceof Authentication authentication ? roles(authentication) : Set.of();
        String assertion = signer.sign(new CallerAssertion(principal.getName(), roles, request.method().name(),
                request.uri().getRawPath(), CallerAssertion.canonicalParameters(request.params())));
        return ServerRequest.from(request).headers(headers -> {
            headers.keySet().removeIf(name -> name.regionMatches(true, 0, PREFIX, 0, PREFIX.length()));
            headers.remove(HttpHeaders.AUTHORIZATION);
            headers.remove(HttpHeaders.COOKIE);
            headers.set(CallerAssertion.HEADER, assertion);
        }).build();
    }

    private static Set<String> roles(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith(ROLE_AUTHORITY_PREFIX))
                .map(authority -> authority.substring(ROLE_AUTHORITY_PREFIX.length()).toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }
}
