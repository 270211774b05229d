package io.playbill.trust;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the gateway vouches for on one request it forwards to query-service: who asks ({@code userId}, the roles the
 * gateway granted) and which request it is ({@code method}, the raw {@code path} exactly as sent, and its
 * {@code query}). It travels in the header {@value #HEADER} as an HS256 JWT signed with the {@link InternalKey}:
 * {@code iss} {@value #ISSUER}, {@code aud} {@value #AUDIENCE}, {@code sub}, {@code roles} (array), {@code htm},
 * {@code htu}, {@code htq}, {@code iat}, {@code exp} (30 s later). Binding method, path and query means an assertion
 * seen in transit or in a log opens nothing but the same request, for half a minute: not the same path with other
 * parameters (another user's audit, another report period).
 *
 * @param roles role names, e.g. {@code admin}, {@code finance}; kept lower-case and sorted
 * @param query the request's parameters in {@linkplain #canonicalParameters canonical form}, "" for none
 */
public record CallerAssertion(String userId, Set<String> roles, String method, String path, String query) {

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
    static final String QUERY = "htq";

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
        query = query == null ? "" : query;
    }

    /** A request without parameters. */
    public CallerAssertion(String userId, Set<String> roles, String method, String path) {
        this(userId, roles, method, path, "");
    }

    /**
     * Parameters as both sides compare them: names sorted, each name's values in their order, every name and value
     * encoded one way ({@code application/x-www-form-urlencoded}). The gateway starts from what its servlet
     * container decoded (the parameters its proxy forwards), query-service from the query string it received
     * ({@link #canonicalQuery}), so an encoding changed on the way changes nothing. query-service takes no form
     * bodies, whose fields would be parameters too.
     */
    public static String canonicalParameters(Map<String, ? extends Collection<String>> parameters) {
        // A parameter without a name (as in "?&=") binds nothing a handler could read; containers differ on keeping it.
        List<String> names = new ArrayList<>(parameters.keySet().stream()
                .filter(name -> name != null && !name.isEmpty()).toList());
        Collections.sort(names);
        List<String> pairs = new ArrayList<>();
        for (String name : names) {
            for (String value : parameters.get(name)) {
                pairs.add(encode(name) + "=" + encode(value == null ? "" : value));
            }
        }
        return String.join("&", pairs);
    }

    /**
     * {@link #canonicalParameters} of a raw query string, decoded as a servlet container does (a parameter without
     * a name is dropped); a query that does not decode stays as it is, and matches nothing a container decoded.
     */
    public static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        try {
            for (String parameter : rawQuery.split("&")) {
                int equals = parameter.indexOf('=');
                String name = decode(equals < 0 ? parameter : parameter.substring(0, equals));
                if (!name.isEmpty()) {
                    parameters.computeIfAbsent(name, n -> new ArrayList<>())
                            .add(equals < 0 ? "" : decode(parameter.substring(equals + 1)));
                }
            }
        } catch (IllegalArgumentException undecodable) {
            return rawQuery;
        }
        return canonicalParameters(parameters);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
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
