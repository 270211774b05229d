package io.playbill.gateway.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dev mode is explicit: {@code playbill.dev-mode=true} (default false; {@code ./playbill up} sets it through
 * {@code PLAYBILL_DEV_MODE}). Without it the gateway refuses to start with anything that is only safe on a developer
 * machine: the profile {@code standalone}, any {@linkplain PublishedDevSecrets published development secret},
 * user JWTs without a required issuer and audience, a plain-http JWK set URL or console identity provider, GS API
 * calls over plain http, cloud games without a catalogue, or a CORS origin that is not https.
 *
 * <p>A bean factory post-processor, so that the check runs before any other bean is made: one report lists every
 * perimeter problem at once, whichever other setting would have failed first. Secrets are never printed.
 */
@Component
public class DevModeGuard implements BeanFactoryPostProcessor, EnvironmentAware {

    public static final String DEV_MODE = "playbill.dev-mode";
    static final String STANDALONE_PROFILE = "standalone";

    static final String USER_JWT = "playbill.security.user-jwt";
    private static final List<String> SECRET_SETTINGS = List.of(USER_JWT + ".hmac-secret", "playbill.token.secret",
            "playbill.cloud.secret-id", "playbill.cloud.secret-key", "playbill.internal.key",
            "playbill.metrics.scrape-token");

    private static final Logger log = LoggerFactory.getLogger(DevModeGuard.class);

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Binder settings = Binder.get(environment);
        List<String> problems = new ArrayList<>(problemsInEveryMode(settings));
        if (settings.bind(DEV_MODE, Boolean.class).orElse(false)) {
            log.warn("Dev mode ({}=true): development secrets, the profile '{}' and plain-http settings are accepted. "
                    + "Never use it in production.", DEV_MODE, STANDALONE_PROFILE);
        } else {
            problems.addAll(problemsOutsideDevMode(settings));
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    /**
     * The keys that sign or prove different things, each held by different parties: were two the same, whoever holds
     * one could forge what the other signs. The SDK token secret is shared with the cloud-gaming service, the
     * internal key with query-service, the scrape token with every scraper; the user-JWT key signs tokens of any role.
     */
    private static final Map<String, String> DISTINCT_KEYS = orderedMap(
            USER_JWT + ".hmac-secret", "the user-JWT key signs user tokens of any role, admin included",
            "playbill.token.secret", "the SDK token secret is shared with the cloud-gaming service",
            "playbill.internal.key", "the internal key signs caller assertions query-service trusts",
            "playbill.metrics.scrape-token", "the scrape token is given to every metrics scraper");

    private static List<String> problemsInEveryMode(Binder settings) {
        List<String> problems = new ArrayList<>();
        List<String> names = List.copyOf(DISTINCT_KEYS.keySet());
        for (int i = 0; i < names.size(); i++) {
            String first = text(settings, names.get(i));
            for (int j = i + 1; j < names.size() && first != null; j++) {
                if (first.equals(text(settings, names.get(j)))) {
                    problems.add(names.get(i) + " must differ from " + names.get(j) + ": "
                            + DISTINCT_KEYS.get(names.get(i)) + ", and " + DISTINCT_KEYS.get(names.get(j))
                            + "; whoever holds one could forge what the other signs");
                }
            }
        }
        return problems;
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private List<String> problemsOutsideDevMode(Binder settings) {
        List<String> problems = new ArrayList<>();
        if (environment.acceptsProfiles(Profiles.of(STANDALONE_PROFILE))) {
            problems.add("the profile '" + STANDALONE_PROFILE + "' is active: it holds public development secrets "
                    + "and is only for ./playbill up (with " + DEV_MODE + "=true); remove it from "
                    + "spring.profiles.active");
        }
        for (String setting : SECRET_SETTINGS) {
            PublishedDevSecrets.nameOf(text(settings, setting)).ifPresent(name -> problems.add(setting + " is "
                    + name + ", which is published in this repository: set a secret of your own"));
        }
        if (text(settings, USER_JWT + ".issuer") == null) {
            problems.add(USER_JWT + ".issuer is required outside dev mode: the exact iss of the user tokens your "
                    + "identity provider issues");
        }
        if (settings.bind(USER_JWT + ".audiences", Bindable.listOf(String.class)).orElse(List.of()).isEmpty()) {
            problems.add(USER_JWT + ".audiences is required outside dev mode: the aud value(s) your identity "
                    + "provider puts in user tokens meant for this gateway");
        }
        String jwkSetUri = text(settings, USER_JWT + ".jwk-set-uri");
        if (jwkSetUri != null && !isHttps(jwkSetUri)) {
            problems.add(USER_JWT + ".jwk-set-uri must be an https:// URL outside dev mode (keys fetched over plain "
                    + "http can be replaced on the way)");
        }
        for (String endpoint : List.of("authorization-uri", "token-uri")) {
            String url = text(settings, "playbill.console.oidc." + endpoint);
            if (url != null && !isHttps(url)) {
                problems.add("playbill.console.oidc." + endpoint + " must be an https:// URL outside dev mode (the "
                        + "console's sign-in codes and tokens travel there)");
            }
        }
        if (settings.bind("playbill.cloud.enabled", Boolean.class).orElse(false)
                && settings.bind("playbill.cloud.catalogue", Bindable.mapOf(String.class, Object.class))
                .orElse(Map.of()).isEmpty()) {
            problems.add("playbill.cloud.catalogue is required outside dev mode: for each queue, the GS games (and "
                    + "worker groups) its price pays for; without it a player could start any game on any group");
        }
        if ("http://".equals(text(settings, "playbill.cloud.protocol"))) {
            problems.add("playbill.cloud.protocol must be https:// outside dev mode (http:// is for the GS emulator)");
        }
        for (String origin : settings.bind("playbill.cors.allowed-origins", Bindable.listOf(String.class))
                .orElse(List.of())) {
            if (!isHttps(origin)) {
                problems.add("playbill.cors.allowed-origins entry '" + origin + "' must be an https:// origin "
                        + "outside dev mode");
            }
        }
        return problems;
    }

    private static String text(Binder settings, String name) {
        String value = settings.bind(name, String.class).map(String::trim).orElse("");
        return value.isEmpty() ? null : value;
    }

    private static boolean isHttps(String url) {
        try {
            return "https".equalsIgnoreCase(URI.create(url.trim()).getScheme());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
