package io.playbill.gateway.console;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.playbill.gateway.config.DevModeGuard;
import io.playbill.gateway.security.UserJwtProperties;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.service.web.ApiException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * DEV MODE ONLY: signs a user token for whoever asks, as the dev identity provider would — HS256 with the configured
 * user secret, the configured issuer and first audience, the asked roles, one hour. It is the console's stand-in for
 * the customer's identity provider on a developer machine. It exists only with {@code playbill.dev-mode=true} and
 * user tokens verified with an HMAC secret (the gateway can then sign tokens it accepts, as {@code ./playbill token}
 * does); outside dev mode there is no such endpoint at all.
 */
@RestController
@Hidden
@ConditionalOnBooleanProperty(DevModeGuard.DEV_MODE)
@ConditionalOnProperty(name = "playbill.security.user-jwt.hmac-secret")
class DevTokenController {

    static final Duration TTL = Duration.ofHours(1);
    /** Also {@code UserIds}' rule: not the price list's stream, which no token may name. */
    private static final String USER_PATTERN = "(?!" + PriceSet.STREAM + "$)[A-Za-z0-9._@-]{1,64}";
    private static final String USER_RULE = "must be 1-64 letters, digits, '.', '_', '@' or '-', other than "
            + PriceSet.STREAM;
    private static final Set<String> ROLES = Set.of("admin", "finance");
    private static final Logger log = LoggerFactory.getLogger(DevTokenController.class);

    private final Algorithm algorithm;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    DevTokenController(UserJwtProperties settings, Clock clock) {
        this.algorithm = Algorithm.HMAC256(settings.hmacSecret().getBytes(StandardCharsets.UTF_8));
        this.issuer = settings.issuer();
        this.audience = settings.audiences().isEmpty() ? null : settings.audiences().get(0);
        this.clock = clock;
    }

    @PostMapping(path = ConsoleSecurity.DEV_TOKEN, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DevToken> signIn(@RequestBody @Valid DevSignIn body) {
        List<String> asked = body.roles() == null ? List.of() : body.roles();
        // A null role (JSON [null]) is refused before the set is asked: Set.of refuses to look a null up.
        if (asked.stream().anyMatch(Objects::isNull) || !ROLES.containsAll(asked)) {
            throw ApiException.invalidField("roles", "roles may only name admin and finance");
        }
        List<String> roles = asked.stream().distinct().sorted().toList();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(TTL);
        var token = JWT.create().withSubject(body.user()).withClaim("roles", roles).withIssuedAt(now)
                .withExpiresAt(expiresAt);
        if (issuer != null) {
            token.withIssuer(issuer);
        }
        if (audience != null) {
            token.withAudience(audience);
        }
        log.info("Dev sign-in: a console token for {} with roles {}", body.user(), roles);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(new DevToken(token.sign(algorithm), expiresAt));
    }

    /** Who to sign in as: a user id (the rule of {@code {userId}} in admin paths) and roles. */
    record DevSignIn(@NotNull(message = "is required")
                     @Pattern(regexp = USER_PATTERN, message = USER_RULE)
                     String user,
                     List<String> roles) {
    }

    record DevToken(String token, Instant expiresAt) {
    }
}
