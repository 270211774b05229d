package io.playbill.gateway.config;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gsemulator.GsEmulatorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dev mode is explicit: without {@code playbill.dev-mode=true} the gateway refuses the standalone profile, the
 * published development secrets, user tokens without issuer and audience, and plain-http perimeter URLs, in one
 * start-up report that never prints a secret.
 */
@ExtendWith(OutputCaptureExtension.class)
class DevModeGuardTest {

    private static final String DEV_USER_SECRET = "playbill-dev-user-secret-0123456789abcdef0123456789";
    private static final String DEV_CUSTOMER_SECRET = "playbill-dev-customer-secret-0123456789abcdef012";

    /** What a production gateway is given besides its secrets: the identity provider's issuer and audience. */
    private static final String[] PRODUCTION = {
            "--playbill.security.user-jwt.issuer=https://idp.example/realms/players",
            "--playbill.security.user-jwt.audiences=playbill-gateway",
            "--playbill.token.issuer=demo", "--playbill.token.customer=moving"};

    @Test
    void theStandaloneProfileIsRefusedWithoutDevMode(CapturedOutput output) {
        // The test resources turn dev mode on with the profile, as ./playbill up does; production has no such file.
        assertRefused(() -> gatewayWithProfile("standalone", "--playbill.dev-mode=false"));

        assertThat(output).contains("The gateway's settings are invalid:",
                " - the profile 'standalone' is active: it holds public development secrets and is only for "
                        + "./playbill up (with playbill.dev-mode=true)",
                " - playbill.security.user-jwt.hmac-secret is the dev user-JWT secret, which is published in this "
                        + "repository: set a secret of your own",
                " - playbill.token.secret is the dev customer (SDK token) secret");
        assertThat(output).doesNotContain(DEV_USER_SECRET, DEV_CUSTOMER_SECRET);
    }

    @Test
    void everyPublishedDevSecretIsRefusedWithoutDevMode(CapturedOutput output) {
        assertRefused(() -> gateway(PRODUCTION,
                "--playbill.security.user-jwt.hmac-secret=" + DEV_USER_SECRET,
                "--playbill.token.secret=" + DEV_CUSTOMER_SECRET,
                "--playbill.cloud.enabled=true", "--playbill.cloud.catalogue.standard.games=g1",
                "--playbill.cloud.secret-id=" + GsEmulatorConfig.DEV_SECRET_ID,
                "--playbill.cloud.secret-key=" + GsEmulatorConfig.DEV_SECRET_KEY));
        // Copied from the standalone profile into the settings that hold no value there, they are as public.
        assertRefused(() -> gateway(PRODUCTION, "--playbill.internal.key=" + DEV_USER_SECRET,
                "--playbill.metrics.scrape-token=" + DEV_CUSTOMER_SECRET));

        // The token spec's sample tokens are signed with it: a service set up from them can be handed any deadline.
        assertRefused(() -> gateway(PRODUCTION, "--playbill.token.allow-short-secret=true",
                "--playbill.token.secret=your-256-bit-secret"));

        assertThat(output).doesNotContain("playbill.cloud.catalogue is required");
        assertThat(output).contains(
                " - playbill.security.user-jwt.hmac-secret is the dev user-JWT secret",
                " - playbill.token.secret is the dev customer (SDK token) secret",
                " - playbill.cloud.secret-id is the GS emulator's dev SecretId",
                " - playbill.cloud.secret-key is the GS emulator's dev SecretKey",
                " - playbill.internal.key is the dev user-JWT secret",
                " - playbill.metrics.scrape-token is the dev customer (SDK token) secret",
                " - playbill.token.secret is the token spec's sample secret");
        assertThat(output).doesNotContain(DEV_USER_SECRET, DEV_CUSTOMER_SECRET, GsEmulatorConfig.DEV_SECRET_KEY,
                "your-256-bit-secret");
    }

    @Test
    void userTokensNeedIssuerAndAudienceCloudGamesACatalogueAndThePerimeterHttps(CapturedOutput output) {
        assertRefused(() -> gateway(new String[0],
                "--playbill.security.user-jwt.jwk-set-uri=http://idp.example/keys",
                "--playbill.cors.allowed-origins=https://play.example,http://old.play.example",
                "--playbill.cloud.protocol=http://", "--playbill.cloud.enabled=true",
                "--playbill.token.issuer=demo", "--playbill.token.customer=moving",
                "--playbill.token.secret=an-own-customer-secret-of-32-bytes-or-more"));

        assertThat(output).contains(
                " - playbill.security.user-jwt.issuer is required outside dev mode",
                " - playbill.security.user-jwt.audiences is required outside dev mode",
                " - playbill.security.user-jwt.jwk-set-uri must be an https:// URL outside dev mode",
                " - playbill.cloud.catalogue is required outside dev mode: for each queue, the GS games",
                " - playbill.cloud.protocol must be https:// outside dev mode",
                " - playbill.cors.allowed-origins entry 'http://old.play.example' must be an https:// origin");
        assertThat(output).doesNotContain("entry 'https://play.example'");
    }

    @Test
    void theUserJwtKeyMayNotBeTheSdkTokenSecretEvenInDevMode(CapturedOutput output) {
        String shared = "one-secret-given-to-both-settings-0123456789";
        for (String devMode : new String[]{"--playbill.dev-mode=true", "--playbill.dev-mode=false"}) {
            assertRefused(() -> gateway(PRODUCTION, devMode, "--playbill.security.user-jwt.hmac-secret=" + shared,
                    "--playbill.token.secret=" + shared));
        }

        assertThat(output).contains(" - playbill.security.user-jwt.hmac-secret must differ from playbill.token.secret");
        assertThat(output).doesNotContain(shared);
    }

    /**
     * The internal key signs the caller assertions query-service trusts, and the scrape token is given to every
     * scraper: neither may be a key that signs anything else, or whoever holds it could forge what that key signs.
     */
    @Test
    void theInternalKeyAndTheScrapeTokenMayBeNoOtherKeyEvenInDevMode(CapturedOutput output) {
        String shared = "one-key-given-to-two-settings-0123456789abcdef";
        for (String devMode : new String[]{"--playbill.dev-mode=true", "--playbill.dev-mode=false"}) {
            assertRefused(() -> gateway(PRODUCTION, devMode, "--playbill.security.user-jwt.hmac-secret=" + shared,
                    "--playbill.internal.key=" + shared));
            assertRefused(() -> gateway(PRODUCTION, devMode, "--playbill.internal.key=" + shared,
                    "--playbill.metrics.scrape-token=" + shared));
        }

        assertThat(output).contains(" - playbill.security.user-jwt.hmac-secret must differ from playbill.internal.key")
                .contains(" - playbill.internal.key must differ from playbill.metrics.scrape-token");
        assertThat(output).doesNotContain(shared);
    }

    /** Whoever could write to an unauthenticated broker could answer the gateway in the ledger's name. */
    @Test
    void aBillingGatewayRefusesABrokerAnyoneCouldWriteToOutsideDevMode() {
        assertThatThrownBy(() -> gateway(PRODUCTION, "--playbill.billing.mode=under",
                "--spring.kafka.bootstrap-servers=127.0.0.1:1",
                "--playbill.security.user-jwt.hmac-secret=an-own-user-secret-of-32-bytes-or-more",
                "--playbill.token.secret=an-own-customer-secret-of-32-bytes-or-more"))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the gateway refuses to start outside dev mode")
                .hasMessageContaining("security protocol PLAINTEXT");
    }

    @Test
    void devModeAcceptsWhatProductionRefuses() {
        try (ConfigurableApplicationContext gateway = gateway(new String[0], "--playbill.dev-mode=true",
                "--playbill.security.user-jwt.jwk-set-uri=http://127.0.0.1:1/keys",
                "--playbill.cors.allowed-origins=http://localhost:5173",
                "--playbill.token.issuer=playbill-dev", "--playbill.token.customer=playbill-dev",
                "--playbill.token.secret=" + DEV_CUSTOMER_SECRET)) {
            assertThat(gateway.isRunning()).isTrue();
        }
    }

    @Test
    void aProductionConfigurationStarts() {
        try (ConfigurableApplicationContext gateway = gateway(PRODUCTION,
                "--playbill.security.user-jwt.hmac-secret=an-own-user-secret-of-32-bytes-or-more",
                "--playbill.token.secret=an-own-customer-secret-of-32-bytes-or-more",
                "--playbill.cors.allowed-origins=https://play.example")) {
            assertThat(gateway.isRunning()).isTrue();
        }
    }

    @Test
    void theRefusedSecretsAreTheOnesThisRepositoryPublishes() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application-standalone.yml"));
        Properties standalone = yaml.getObject();

        assertThat(Stream.of(standalone.getProperty("playbill.security.user-jwt.hmac-secret"),
                standalone.getProperty("playbill.token.secret"), GsEmulatorConfig.DEV_SECRET_ID,
                GsEmulatorConfig.DEV_SECRET_KEY).map(PublishedDevSecrets::nameOf))
                .allSatisfy(name -> assertThat(name).isPresent());
    }

    /** The guard runs before any bean is made, so its exception is thrown as it is, unwrapped. */
    private static void assertRefused(Runnable start) {
        assertThatThrownBy(start::run).isInstanceOf(InvalidSettingsException.class);
    }

    private static ConfigurableApplicationContext gatewayWithProfile(String profile, String... settings) {
        return new SpringApplicationBuilder(GatewayApplication.class).profiles(profile).run(withBasics(settings));
    }

    private static ConfigurableApplicationContext gateway(String[] base, String... settings) {
        return new SpringApplicationBuilder(GatewayApplication.class)
                .run(withBasics(Stream.concat(Stream.of(base), Stream.of(settings)).toArray(String[]::new)));
    }

    /**
     * Billing mode none and no cloud games, unless a test turns them on (only in refused start-ups): the gateway
     * needs neither Kafka nor a database. A setting given twice on the command
     * line would be bound as both values joined, so the default is left out when a test sets it.
     */
    private static String[] withBasics(String... settings) {
        Stream<String> cloud = Stream.of(settings).anyMatch(setting -> setting.startsWith("--playbill.cloud.enabled="))
                ? Stream.empty() : Stream.of("--playbill.cloud.enabled=false");
        Stream<String> billing = Stream.of(settings)
                .anyMatch(setting -> setting.startsWith("--playbill.billing.mode="))
                ? Stream.empty() : Stream.of("--playbill.billing.mode=none");
        Stream<String> internalKey = Stream.of(settings)
                .anyMatch(setting -> setting.startsWith("--playbill.internal.key="))
                ? Stream.empty() : Stream.of("--playbill.internal.key=an-own-internal-key-of-32-bytes-or-more");
        return Stream.of(Stream.of("--server.port=0"), internalKey, billing, cloud, Stream.of(settings))
                .flatMap(each -> each).toArray(String[]::new);
    }
}
