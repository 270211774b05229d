package io.playbill.gateway.routing;

import io.playbill.trust.AssertionSigner;
import io.playbill.trust.AssertionVerifier;
import io.playbill.trust.CallerAssertion;
import io.playbill.trust.InternalKey;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.web.servlet.function.ServerRequest;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What leaves the gateway on a read route: no client identity header, no token, one assertion for this request. */
class TrustedIdentityHeadersTest {

    private static final InternalKey KEY = InternalKey.of("a-unit-test-internal-key-of-32-bytes");

    @Test
    void clientHeadersGoAndOneAssertionOfTheGrantedRolesForThisRequestComes() throws Exception {
        MockHttpServletRequest servlet = new MockHttpServletRequest("GET", "/finance/users/zo%C3%AB/account");
        servlet.addHeader("X-Playbill-User", "root");
        servlet.addHeader("x-playbill-roles", "admin");
        servlet.addHeader("X-Playbill-Assertion", "forged");
        servlet.addHeader("Authorization", "Bearer user-token");
        servlet.addHeader("Cookie", "session=1");
        servlet.addHeader("Accept", "text/csv");
        servlet.setUserPrincipal(new TestingAuthenticationToken("zoë", null, "ROLE_FINANCE", "ROLE_ADMIN",
                "SCOPE_read", "FINANCE"));
        ServerRequest request = ServerRequest.create(servlet, List.of(new StringHttpMessageConverter()));

        TrustedIdentityHeaders identity = new TrustedIdentityHeaders(new AssertionSigner(KEY, Clock.systemUTC()));

        ServerRequest forwarded = identity.apply(request);

        assertThat(forwarded.headers().asHttpHeaders().keySet())
                .containsExactlyInAnyOrder("Accept", CallerAssertion.HEADER);
        List<String> assertions = forwarded.headers().header(CallerAssertion.HEADER);
        assertThat(assertions).hasSize(1);
        CallerAssertion caller = new AssertionVerifier(KEY, Clock.systemUTC())
                .verify(assertions.get(0), "GET", "/finance/users/zo%C3%AB/account");
        assertThat(caller.userId()).isEqualTo("zoë");
        assertThat(caller.roles()).as("ROLE_ authorities only").containsExactly("admin", "finance");
    }
}
