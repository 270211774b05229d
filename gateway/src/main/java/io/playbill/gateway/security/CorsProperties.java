package io.playbill.gateway.security;

import io.playbill.gateway.config.SettingsCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * Browser (H5) origins allowed to call {@code /api/**} cross-origin ({@code playbill.cors.allowed-origins}), e.g.
 * {@code https://play.example.com}. Empty (the default) means no cross-origin access. Outside dev mode every origin
 * must be https ({@link io.playbill.gateway.config.DevModeGuard}).
 */
@ConfigurationProperties("playbill.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins) {

    public CorsProperties {
        allowedOrigins = List.copyOf(allowedOrigins);
        new SettingsCheck("playbill.cors")
                .require(allowedOrigins.stream().noneMatch(origin -> origin.isBlank() || origin.endsWith("/")),
                        "allowed-origins", "entries must be origins like https://play.example.com (no path, no "
                                + "trailing slash)")
                .throwIfInvalid();
    }
}
