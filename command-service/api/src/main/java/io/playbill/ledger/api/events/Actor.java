package io.playbill.ledger.api.events;

import java.util.List;
import java.util.Objects;

/**
 * Who moved money or changed a price: the caller the gateway authenticated (the user JWT's subject and the roles the
 * gateway granted), carried by the request and recorded on the event, so the ledger itself says who did what.
 * Events stored before actors were recorded read with a {@code null} actor.
 *
 * @param userId the caller's user id
 * @param roles  the roles the caller acted with, lowercase, sorted ({@code admin}, {@code finance}); empty for a player
 */
public record Actor(String userId, List<String> roles) {

    /** The back office's roles, as the gateway's user tokens name them. */
    public static final String ADMIN = "admin";
    public static final String FINANCE = "finance";

    public Actor {
        Objects.requireNonNull(userId, "userId");
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** A player acting for themself (session requests). */
    public static Actor player(String userId) {
        return new Actor(userId, List.of());
    }
}
