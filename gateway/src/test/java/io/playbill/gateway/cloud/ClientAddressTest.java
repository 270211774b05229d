package io.playbill.gateway.cloud;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** UserIp: the socket address, unless the gateway is told to trust its proxy's headers. */
class ClientAddressTest {

    @Test
    void proxyHeadersAreIgnoredUnlessTrusted() {
        MockHttpServletRequest request = request("10.0.0.5");
        request.addHeader("X-Forwarded-For", "203.0.113.7");
        request.addHeader("X-Real-IP", "203.0.113.8");

        assertThat(ClientAddress.of(request, false)).isEqualTo("10.0.0.5");
    }

    @Test
    void aTrustedProxyNamesTheClientFirstInXForwardedFor() {
        MockHttpServletRequest request = request("10.0.0.5");
        request.addHeader("X-Forwarded-For", "203.0.113.7, 198.51.100.1");

        assertThat(ClientAddress.of(request, true)).isEqualTo("203.0.113.7");
    }

    @Test
    void xRealIpIsTheFallbackAndIpv6Works() {
        MockHttpServletRequest request = request("10.0.0.5");
        request.addHeader("X-Real-IP", "2001:db8::7");

        assertThat(ClientAddress.of(request, true)).isEqualTo("2001:db8::7");
    }

    @Test
    void valuesThatAreNotIpLiteralsAreIgnored() {
        MockHttpServletRequest request = request("10.0.0.5");
        request.addHeader("X-Forwarded-For", "evil.example, 203.0.113.7");
        request.addHeader("X-Real-IP", "300.1.2.3");

        assertThat(ClientAddress.of(request, true)).isEqualTo("10.0.0.5");
        assertThat(ClientAddress.isIpLiteral("::1")).isTrue();
        assertThat(ClientAddress.isIpLiteral("1.2.3")).isFalse();
        assertThat(ClientAddress.isIpLiteral("fe80::1%eth0")).isFalse();
    }

    private static MockHttpServletRequest request(String remoteAddress) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/cloud/start");
        request.setRemoteAddr(remoteAddress);
        return request;
    }
}
