package io.playbill.gateway.security;

import io.playbill.ledger.api.events.Actor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import java.security.Principal;
import java.util.List;
import java.util.Locale;

/** The authenticated caller as the ledger records them: the user JWT's subject and the roles the gateway granted. */
public final class Callers {

    private static final String ROLE_AUTHORITY_PREFIX = "ROLE_";

    private Callers() {
    }

    /** The caller's user id and granted roles, lowercase and sorted ({@code admin}, {@code finance}). */
    public static Actor actorOf(Principal caller) {
        return new Actor(caller.getName(), caller instanceof Authentication authentication
                ? roles(authentication) : List.of());
    }

    /** The roles the gateway granted, lowercase, sorted, without duplicates. */
    public static List<String> roles(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith(ROLE_AUTHORITY_PREFIX))
                .map(authority -> authority.substring(ROLE_AUTHORITY_PREFIX.length()).toLowerCase(Locale.ROOT))
                .sorted()
                .distinct()
                .toList();
    }
}
