package io.playbill.query.web;

import java.util.Set;

/**
 * Who is asking, as the gateway vouched for it in the signed caller assertion of this very request (see
 * {@code io.playbill.query.security.SecurityConfiguration}).
 *
 * @param roles lower-case role names, e.g. {@code admin}, {@code finance}
 */
public record Caller(String userId, Set<String> roles) {

    public static final String ADMIN = "admin";
    public static final String FINANCE = "finance";

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean hasAnyRole(String... wanted) {
        for (String role : wanted) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }
}
