package io.playbill.gateway.console;

import io.playbill.gateway.config.SettingsCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code playbill.console.*}: how people sign in to the web console at {@code /console/}. In dev mode a sign-in form
 * mints development tokens ({@link DevTokenController}); in production the console sends people to the customer's
 * identity provider (OpenID Connect authorization code flow with PKCE, the console being a public client) and calls
 * the API with the access token it gets back. Pasting a token works either way.
 *
 * @param oidc the identity provider; not set: no "sign in with your identity provider" button
 */
@ConfigurationProperties("playbill.console")
public record ConsoleProperties(Oidc oidc) {

    public ConsoleProperties {
        oidc = oidc == null || oidc.isEmpty() ? null : oidc;
        if (oidc != null) {
            oidc.check();
        }
    }

    /**
     * The customer's identity provider, as a public OAuth 2.0 client with PKCE (no client secret: a browser keeps
     * none).
     *
     * @param authorizationUri the authorization endpoint people are sent to
     * @param tokenUri         the token endpoint the console exchanges the code at (it must allow this origin: CORS)
     * @param clientId         the console's client id at the identity provider
     * @param scope            the scopes asked for (default {@code openid})
     * @param parameters       further authorization request parameters, e.g. {@code audience} for providers that
     *                         issue an access token for the gateway only when asked by name
     */
    public record Oidc(String authorizationUri, String tokenUri, String clientId,
                       @DefaultValue("openid") String scope, @DefaultValue Map<String, String> parameters) {

        public Oidc {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }

        boolean isEmpty() {
            return Stream.of(authorizationUri, tokenUri, clientId).noneMatch(Oidc::hasText);
        }

        void check() {
            new SettingsCheck("playbill.console.oidc")
                    .requireTogether(Stream.of(authorizationUri, tokenUri, clientId).allMatch(Oidc::hasText),
                            "authorization-uri, token-uri and client-id are set together")
                    .require(!hasText(authorizationUri) || isHttpUrl(authorizationUri), "authorization-uri",
                            "must be an http(s) URL")
                    .require(!hasText(tokenUri) || isHttpUrl(tokenUri), "token-uri", "must be an http(s) URL")
                    .require(hasText(scope), "scope", "must not be blank")
                    .throwIfInvalid();
        }

        /** {@code scheme://host[:port]} of the token endpoint, which the console's pages may connect to. */
        String tokenOrigin() {
            URI uri = URI.create(tokenUri);
            return uri.getScheme() + "://" + uri.getRawAuthority();
        }

        private static boolean hasText(String value) {
            return value != null && !value.isBlank();
        }

        private static boolean isHttpUrl(String value) {
            try {
                URI uri = URI.create(value.trim());
                return ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                        && uri.getRawAuthority() != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
