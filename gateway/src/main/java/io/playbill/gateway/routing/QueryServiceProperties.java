package io.playbill.gateway.routing;

import io.playbill.gateway.config.SettingsCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * {@code playbill.query-service.*}: where the read routes go.
 *
 * @param url            scheme://host:port of query-service (default {@code http://127.0.0.1:8082}: it listens on
 *                       loopback unless told otherwise); no path, since the gateway keeps the request's own path
 *                       minus {@code /api}
 * @param connectTimeout connecting to query-service (default 2 s)
 * @param readTimeout    waiting for its answer to start, and between chunks (default 30 s: reports can be slow)
 */
@ConfigurationProperties("playbill.query-service")
public record QueryServiceProperties(@DefaultValue("http://127.0.0.1:8082") URI url,
                                     @DefaultValue("2s") Duration connectTimeout,
                                     @DefaultValue("30s") Duration readTimeout) {

    public QueryServiceProperties {
        String scheme = url == null ? null : url.getScheme();
        new SettingsCheck("playbill.query-service")
                .require(("http".equals(scheme) || "https".equals(scheme)) && url.getHost() != null
                                && (url.getRawPath() == null || url.getRawPath().isEmpty() || "/".equals(url.getRawPath()))
                                && url.getRawQuery() == null,
                        "url", "must be http(s)://host[:port] without a path (was " + url + ")")
                .require(connectTimeout != null && connectTimeout.toMillis() >= 100
                                && connectTimeout.compareTo(Duration.ofMinutes(1)) <= 0,
                        "connect-timeout", "must be between 100 ms and 1 min")
                .require(readTimeout != null && readTimeout.toMillis() >= 100
                                && readTimeout.compareTo(Duration.ofMinutes(10)) <= 0,
                        "read-timeout", "must be between 100 ms and 10 min")
                .throwIfInvalid();
    }
}
