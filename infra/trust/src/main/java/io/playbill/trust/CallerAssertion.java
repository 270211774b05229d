package io.playbill.trust;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the gateway vouches for on one request it forwards to query-service: who asks ({@code userId}, the roles the
 * gateway granted) and which request it is ({@code method} and the raw {@code path}, without the query string,
 * exactly as sent). It travels in the header {@value #HEADER} as an HS256 JWT signed with the {@link InternalKey}:
 * {@code iss} {@value #ISSUER}, {@code aud} {@value #AUDIENCE}, {@code sub}, {@code roles} (array), {@code htm},
 * {@code htu}, {@code iat}, {@code exp} (30 s later). Binding method and path means an assertion seen in transit
 * or in a log opens nothing but the same request, for half a minute.
 *
 * @param roles role names, e.g. {@code admin}, {@code finance}; kept lower-case and sorted
 */
public record CallerAssertion(String userId, Set<String> roles, String method, String path) {

    public static final String HEADER = "X-Playbill-Assertion";
    public static final String ISSUER = "playbill-gateway";
    public static final String AUDIENCE = "playbill-query-service";
    /** Long enough for one hop, short enough that a copied assertion is soon worthless. */
    public static final Duration LIFETIME = Duration.ofSeconds(30);
    /** Clock difference between the gateway and query-service tolerated on {@code iat} and {@code exp}. */
    public static final Duration CLOCK_LEEWAY = Duration.ofSeconds(10);

    static final String ROLES = "roles";
    static final String METHOD = "htm";
    static final String PATH = "htu";

    public CallerAssertion {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("An assertion needs a user id");
        }
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("An assertion needs an HTTP method");
        }
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("An assertion needs the request's path, starting with /");
        }
        roles = normalised(roles);
    }

    private static Set<String> normalised(Collection<String> roles) {
        TreeSet<String> names = new TreeSet<>();
        if (roles != null) {
            for (String role : roles) {
                if (role == null || role.isBlank()) {
                    throw new IllegalArgumentException("A role name is blank");
                }
                names.add(role.trim().toLowerCase(Locale.ROOT));
            }
        }
        return Collections.unmodifiableSortedSet(names);
    }
}
