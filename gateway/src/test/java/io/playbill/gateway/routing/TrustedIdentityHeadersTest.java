package io.playbill.gateway.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A user id travels as a header value: printable ASCII as is, anything else percent-encoded. */
class TrustedIdentityHeadersTest {

    @Test
    void userIdsAreHeaderSafe() {
        assertThat(TrustedIdentityHeaders.headerSafe("alice@example.com")).isEqualTo("alice@example.com");
        assertThat(TrustedIdentityHeaders.headerSafe("zoë")).isEqualTo("zo%C3%AB");
        assertThat(TrustedIdentityHeaders.headerSafe("a b%\r\nX-Playbill-Roles: admin"))
                .isEqualTo("a%20b%25%0D%0AX-Playbill-Roles:%20admin");
    }
}
