package io.playbill.gateway.token;

import io.playbill.gateway.config.InvalidSettingsException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up refuses every token setting outside token-spec §1, each with its own message. */
class TokenSettingsTest {

    private static final String SECRET_32 = "0123456789abcdef0123456789abcdef";

    private final ApplicationContextRunner gateway = new ApplicationContextRunner()
            .withUserConfiguration(TokenConfiguration.class)
            .withBean(Clock.class, Clock::systemUTC)
            .withPropertyValues("playbill.token.issuer=demo", "playbill.token.customer=moving",
                    "playbill.token.secret=" + SECRET_32);

    @Test
    void validSettingsStartWithTheDefaults() {
        gateway.run(context -> {
            assertThat(context).hasNotFailed();
            TokenProperties settings = context.getBean(TokenProperties.class);
            assertThat(settings.ttl()).hasSeconds(300);
            assertThat(settings.signingAlgorithm()).isEqualTo(TokenAlgorithm.HS256);
        });
    }

    @Test
    void ttlOf59SecondsIsRefused() {
        gateway.withPropertyValues("playbill.token.ttl=59").run(context -> assertThat(problems(context))
                .containsExactly("playbill.token.ttl must be at least 60 s (was 59 s)"));
    }

    @Test
    void ttlOf7200SecondsIsRefused() {
        gateway.withPropertyValues("playbill.token.ttl=2h").run(context -> assertThat(problems(context))
                .containsExactly("playbill.token.ttl must be below 7200 s (was 7200 s)"));
    }

    @Test
    void ttlBoundsThemselvesAreAccepted() {
        gateway.withPropertyValues("playbill.token.ttl=60").run(context -> assertThat(context).hasNotFailed());
        gateway.withPropertyValues("playbill.token.ttl=7199").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void emptySecretIsRefused() {
        gateway.withPropertyValues("playbill.token.secret=").run(context -> assertThat(problems(context))
                .containsExactly("playbill.token.secret is not set: the secret shared with the cloud-gaming service"));
    }

    @Test
    void unknownAlgorithmIsRefused() {
        gateway.withPropertyValues("playbill.token.algorithm=RS256").run(context -> assertThat(problems(context))
                .containsExactly("playbill.token.algorithm must be HS256 or HS512, not 'RS256'"));
    }

    @Test
    void secretShorterThanTheHashIsRefusedWithoutQuotingIt() {
        gateway.withPropertyValues("playbill.token.secret=short-secret-31-bytes-long-xxxx").run(context -> {
            List<String> problems = problems(context);
            assertThat(problems).containsExactly("playbill.token.secret is 31 bytes, shorter than the 32 bytes HS256 "
                    + "needs; use a longer secret or set playbill.token.allow-short-secret=true");
            assertThat(problems.get(0)).doesNotContain("short-secret-31");
        });
        gateway.withPropertyValues("playbill.token.algorithm=HS512").run(context -> assertThat(problems(context))
                .containsExactly("playbill.token.secret is 32 bytes, shorter than the 64 bytes HS512 needs; use a "
                        + "longer secret or set playbill.token.allow-short-secret=true"));
    }

    @Test
    void shortSecretIsAcceptedWhenAllowedExplicitly() {
        gateway.withPropertyValues("playbill.token.secret=your-256-bit-secret",
                "playbill.token.allow-short-secret=true").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void missingSettingsAreAllNamedAtOnce() {
        new ApplicationContextRunner()
                .withUserConfiguration(TokenConfiguration.class)
                .withBean(Clock.class, Clock::systemUTC)
                .run(context -> assertThat(problems(context)).containsExactly(
                        "playbill.token.issuer is not set: the 'iss' claim of every SDK token",
                        "playbill.token.customer is not set: the customer identifier of every SDK token",
                        "playbill.token.secret is not set: the secret shared with the cloud-gaming service"));
    }

    private static List<String> problems(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            if (t instanceof InvalidSettingsException invalid) {
                return invalid.problems();
            }
        }
        throw new AssertionError("Start-up failed for another reason", context.getStartupFailure());
    }
}
