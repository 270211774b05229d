package io.playbill.query.statement;

import io.playbill.query.web.Times;
import io.playbill.service.web.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatementCursorTest {

    @Test
    void aCursorDecodesToThePositionItWasMadeOf() {
        for (Instant instant : new Instant[] {Instant.parse("2034-04-01T00:00:00.123456Z"),
                Instant.parse("1960-01-01T00:00:00.000001Z"), Instant.EPOCH, Times.EARLIEST,
                Times.LATEST.minusNanos(999)}) {
            for (boolean descending : new boolean[] {false, true}) {
                StatementCursor cursor = new StatementCursor(descending, instant, 42);
                assertThat(StatementCursor.decode(cursor.encode())).isEqualTo(cursor);
            }
        }
        assertThat(new StatementCursor(false, Instant.EPOCH, 0).encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void anythingElseIsInvalidAfter() {
        for (String value : new String[] {"", "!!", "YTE6Mg==", "YTE6Mg=", "eDE6Mg", "YTE6", "YTox"}) {
            assertThatThrownBy(() -> StatementCursor.decode(value)).as(value).isInstanceOf(ApiException.class)
                    .hasMessageContaining("after must be");
        }
        // "a1:2" is a cursor; "YTE6Mg" is its one spelling.
        assertThat(StatementCursor.decode("YTE6Mg")).isEqualTo(new StatementCursor(false,
                Instant.EPOCH.plusNanos(1_000), 2));
    }
}
