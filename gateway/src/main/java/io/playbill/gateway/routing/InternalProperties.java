package io.playbill.gateway.routing;

import io.playbill.gateway.config.SettingsCheck;
import io.playbill.trust.InternalKey;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code playbill.internal.*}: settings shared by the services inside the platform.
 *
 * @param key the key the read routes sign caller assertions with ({@code PLAYBILL_INTERNAL_KEY}): required, at least
 *            32 bytes, the same as query-service's. No profile sets it: {@code ./playbill up} generates one per run.
 */
@ConfigurationProperties("playbill.internal")
public record InternalProperties(String key) {

    public InternalProperties {
        String problem = InternalKey.problem(key);
        new SettingsCheck("playbill.internal")
                .require(problem == null, "key", problem)
                .throwIfInvalid();
    }

    @Override
    public String toString() {
        return "InternalProperties[key=hidden]";
    }
}
