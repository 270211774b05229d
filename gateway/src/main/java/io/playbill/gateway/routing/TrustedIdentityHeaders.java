package io.playbill.gateway.routing;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.servlet.function.ServerRequest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The trust boundary of the read routes. query-service believes {@value #USER} and {@value #ROLES} without checking
 * a token, so every client-sent {@code X-Playbill-*} header is removed first and the two are set from what the
 * gateway authenticated. The user's bearer token (and any cookie) is not passed on: query-service does not need it.
 *
 * <ul>
 *   <li>{@value #USER}: the token's {@code sub}; visible ASCII except {@code %} as is, every other byte of its UTF-8
 *   as {@code %XX} (so a header can never carry a line break).</li>
 *   <li>{@value #ROLES}: the granted roles, lowercase, sorted, comma-separated ({@code admin,finance}); empty for
 *   none.</li>
 * </ul>
 */
final class TrustedIdentityHeaders implements Function<ServerRequest, ServerRequest> {

    static final String PREFIX = "X-Playbill-";
    static final String USER = PREFIX + "User";
    static final String ROLES = PREFIX + "Roles";
    private static final String ROLE_AUTHORITY_PREFIX = "ROLE_";

    @Override
    public ServerRequest apply(ServerRequest request) {
        Principal principal = request.principal()
                .orElseThrow(() -> new IllegalStateException("Read routes are only reachable authenticated"));
        String roles = principal instanceof Authentication authentication ? roles(authentication) : "";
        return ServerRequest.from(request).headers(headers -> {
            headers.keySet().removeIf(name -> name.regionMatches(true, 0, PREFIX, 0, PREFIX.length()));
            headers.remove(HttpHeaders.AUTHORIZATION);
            headers.remove(HttpHeaders.COOKIE);
            headers.set(USER, headerSafe(principal.getName()));
            headers.set(ROLES, roles);
        }).build();
    }

    private static String roles(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith(ROLE_AUTHORITY_PREFIX))
                .map(authority -> authority.substring(ROLE_AUTHORITY_PREFIX.length()).toLowerCase(Locale.ROOT))
                .sorted()
                .distinct()
                .collect(Collectors.joining(","));
    }

    static String headerSafe(String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int unsigned = b & 0xff;
            if (unsigned > 0x20 && unsigned < 0x7f && unsigned != '%') {
                out.write(unsigned);
            } else {
                out.writeBytes(String.format("%%%02X", unsigned).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
