package io.playbill.query.projection;

import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.values.Money;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the read models store in place of text PostgreSQL cannot hold. */
class StoredTextTest {

    @Test
    void nulAndUnpairedSurrogatesBecomeTheReplacementCharacter() {
        assertThat(StoredText.clean("a\u0000b")).isEqualTo("a\uFFFDb");
        assertThat(StoredText.clean("\uD800")).isEqualTo("\uFFFD");
        assertThat(StoredText.clean("x\uDC00y\uD800")).isEqualTo("x\uFFFDy\uFFFD");
        assertThat(StoredText.clean("\uDC00\uD800")).as("reversed, so not a pair").isEqualTo("\uFFFD\uFFFD");
        assertThat(StoredText.clean(null)).isNull();
    }

    @Test
    void everythingElseIsKeptAsTheSameInstance() {
        String text = "line\r\nbreak\ttab \uD83D\uDE00 \u0001 =1";
        assertThat(StoredText.clean(text)).isSameAs(text);
    }

    @Test
    void everyTextComponentOfAnEventIsCleanedAndACleanEventIsKept() {
        FundsRefunded clean = new FundsRefunded("u", "r", Money.of(1), "why", Money.of(0), 5, null);
        assertThat(StoredText.cleanPayload(clean)).isSameAs(clean);

        assertThat(StoredText.cleanPayload(new FundsRefunded("u\u0000", "r\uD800", Money.of(1), "why\u0000", Money.of(0), 5, null)))
                .isEqualTo(new FundsRefunded("u\uFFFD", "r\uFFFD", Money.of(1), "why\uFFFD", Money.of(0), 5, null));
        assertThat(StoredText.cleanPayload("not a record\u0000")).isEqualTo("not a record\u0000");
    }
}
