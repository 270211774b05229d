package io.playbill.query.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code playbill.internal.*}: settings shared by the services inside the platform.
 *
 * @param key the key the gateway signs caller assertions with ({@code PLAYBILL_INTERNAL_KEY}); required, at least
 *            32 bytes, the same in the gateway and query-service. Checked when the verifier is built, so that no
 *            start-up report ever prints it.
 */
@ConfigurationProperties("playbill.internal")
public record InternalProperties(String key) {

    @Override
    public String toString() {
        return "InternalProperties[key=hidden]";
    }
}
