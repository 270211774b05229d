package io.playbill.gateway.console;

import org.springframework.security.web.header.Header;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import java.util.List;

/**
 * What the gateway's security configuration needs to know about the console. Its pages, scripts and the charting
 * library are public (they hold no data: every data call needs the user token, as everywhere); the dev sign-in is
 * public too, and exists only in dev mode.
 *
 * <p>Console responses carry a strict Content-Security-Policy: scripts and styles only from the gateway itself (no
 * inline code, no CDN), connections only to the gateway and the identity provider's token endpoint, no framing, no
 * form posts (forms are handled by script, so a form can never put a token into a URL), and no referrer.
 */
public final class ConsoleSecurity {

    /** The console's pages and files, and the charting library it loads (GET only). */
    public static final String[] PUBLIC_FILES = {"/console", "/console/", "/console/**", "/webjars/echarts/**"};
    /** The dev-mode sign-in (POST); absent outside dev mode. */
    public static final String DEV_TOKEN = "/console/dev-token";

    private final String contentSecurityPolicy;

    ConsoleSecurity(ConsoleProperties settings) {
        String connect = "'self'" + (settings.oidc() == null ? "" : " " + settings.oidc().tokenOrigin());
        this.contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src " + connect + "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    }

    /** The console's own security headers, written on its responses only (the API's JSON needs none of them). */
    public HeaderWriter headerWriter() {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return new DelegatingRequestMatcherHeaderWriter(
                new OrRequestMatcher(List.of(paths.matcher("/console"), paths.matcher("/console/**"))),
                new StaticHeadersWriter(List.of(
                        new Header("Content-Security-Policy", contentSecurityPolicy),
                        new Header("Referrer-Policy", "no-referrer"))));
    }

    String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }
}
