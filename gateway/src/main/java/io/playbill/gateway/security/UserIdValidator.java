package io.playbill.gateway.security;

import io.playbill.ledger.api.messages.CleanText;
import io.playbill.ledger.api.messages.UserIds;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

import java.nio.charset.StandardCharsets;

/**
 * The user id is the token's {@code sub}: it must exist and, per token-spec §1, fit in 64 bytes. It becomes the
 * ledger's user id and Kafka key, a GS UserId and a header to query-service, so it must also be clean text
 * ({@link CleanText}: no control character, no unpaired surrogate).
 */
final class UserIdValidator implements OAuth2TokenValidator<Jwt> {

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        String subject = token.getSubject();
        if (UserIds.isAcceptable(subject)) {
            return OAuth2TokenValidatorResult.success();
        }
        if (subject == null || subject.isBlank()) {
            return failure("The token has no subject (sub) naming the user");
        }
        if (subject.getBytes(StandardCharsets.UTF_8).length > UserIds.MAX_BYTES) {
            return failure("The token's subject (sub) is longer than " + UserIds.MAX_BYTES + " bytes");
        }
        if (UserIds.isReserved(subject)) {
            return failure("The token's subject (sub) names the ledger's price list, which is no user");
        }
        return failure("The token's subject (sub) contains a control character or an unpaired surrogate");
    }

    private static OAuth2TokenValidatorResult failure(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
    }
}
