package io.playbill.trust;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scrape token: unset closes scraping, a weak one is refused without being quoted, only the exact one matches. */
class ScrapeTokenTest {

    private static final String TOKEN = "q0vHcB2m7n1QXkA5y9oTzLw8sRfE3uJdPiGaN4bVt6M";

    @Test
    void anUnsetTokenClosesScraping() {
        assertThat(ScrapeToken.of(null)).isEmpty();
        assertThat(ScrapeToken.of("")).isEmpty();
        assertThat(ScrapeToken.problem(null)).isNull();
    }

    @Test
    void aShortTokenOrOneThatCannotBeABearerIsRefusedWithoutBeingQuoted() {
        assertThatThrownBy(() -> ScrapeToken.of("short-scrape-token"))
                .hasMessage("playbill.metrics.scrape-token must be at least 32 bytes (e.g. openssl rand -base64 32)")
                .hasMessageNotContaining("short-scrape-token");
        assertThatThrownBy(() -> ScrapeToken.of("a token with spaces in it, long enough to pass"))
                .hasMessageStartingWith("playbill.metrics.scrape-token may hold only")
                .hasMessageNotContaining("spaces");
    }

    @Test
    void onlyTheExactTokenMatches() {
        ScrapeToken token = ScrapeToken.of(TOKEN).orElseThrow();

        assertThat(token.matches(TOKEN)).isTrue();
        assertThat(token.matches(TOKEN + "x")).isFalse();
        assertThat(token.matches(TOKEN.substring(1))).isFalse();
        assertThat(token.matches(TOKEN.toLowerCase())).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(token).hasToString("ScrapeToken[hidden]");
    }

    @Test
    void theBearerIsReadFromAnAuthorizationHeaderOnly() {
        assertThat(ScrapeToken.bearerOf("Bearer " + TOKEN)).isEqualTo(TOKEN);
        assertThat(ScrapeToken.bearerOf("bearer " + TOKEN)).isEqualTo(TOKEN);
        assertThat(ScrapeToken.bearerOf("Basic " + TOKEN)).isNull();
        assertThat(ScrapeToken.bearerOf("Bearer ")).isNull();
        assertThat(ScrapeToken.bearerOf("Bearer two tokens")).isNull();
        assertThat(ScrapeToken.bearerOf(null)).isNull();
    }

    @Test
    void randomTokensAreStrongAndDifferent() {
        String one = ScrapeToken.random();

        assertThat(ScrapeToken.problem(one)).isNull();
        assertThat(one).isNotEqualTo(ScrapeToken.random());
    }
}
