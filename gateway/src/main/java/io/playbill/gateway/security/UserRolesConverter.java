package io.playbill.gateway.security;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a verified user JWT into the authenticated user: the name is {@code sub}, and the {@code roles} claim (an
 * array of strings) grants {@code admin} → ROLE_ADMIN and {@code finance} → ROLE_FINANCE. Other roles, and a
 * {@code roles} claim that is not an array, grant nothing.
 */
final class UserRolesConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    static final String ROLES_CLAIM = "roles";
    private static final Map<String, String> AUTHORITY_OF_ROLE = Map.of(
            "admin", "ROLE_ADMIN",
            "finance", "ROLE_FINANCE");

    @Override
    public AbstractAuthenticationToken convert(Jwt token) {
        return new JwtAuthenticationToken(token, authorities(token.getClaims().get(ROLES_CLAIM)), token.getSubject());
    }

    private static List<GrantedAuthority> authorities(Object roles) {
        if (!(roles instanceof Collection<?> names)) {
            return List.of();
        }
        return names.stream()
                .filter(String.class::isInstance)
                .map(AUTHORITY_OF_ROLE::get)
                .filter(Objects::nonNull)
                .distinct()
                .map(authority -> (GrantedAuthority) new SimpleGrantedAuthority(authority))
                .toList();
    }
}
