package io.playbill.gateway.cloud;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * UserIp: the peer's address, unless the peer is a trusted proxy; then the right-most X-Forwarded-For entry that is
 * not one. Only a public address is ever sent as the player's.
 */
class ClientAddressTest {

    private static final String PROXY = "10.0.0.5";

    private final ClientAddress noProxies = new ClientAddress(List.of());
    private final ClientAddress behindProxies = new ClientAddress(List.of("10.0.0.0/24", "2001:db8:1::/48"));

    @Test
    void aPublicPeerIsThePlayer() {
        assertThat(noProxies.userIp(request("8.8.8.8"))).isEqualTo("8.8.8.8");
        assertThat(noProxies.userIp(request("2001:4860:4860:0:0:0:0:8888"))).isEqualTo("2001:4860:4860:0:0:0:0:8888");
    }

    @Test
    void anUntrustedPeerCannotNameAnotherAddress() {
        MockHttpServletRequest spoofed = request("1.1.1.1");
        spoofed.addHeader("X-Forwarded-For", "8.8.8.8");
        spoofed.addHeader("X-Real-IP", "8.8.4.4");

        assertThat(noProxies.userIp(spoofed)).isEqualTo("1.1.1.1");
        assertThat(behindProxies.userIp(spoofed)).isEqualTo("1.1.1.1");
    }

    @Test
    void anUntrustedPrivatePeerWithAHeaderSendsNoUserIp() {
        MockHttpServletRequest spoofed = request("192.168.1.20");
        spoofed.addHeader("X-Forwarded-For", "8.8.8.8");

        assertThat(noProxies.userIp(spoofed)).isNull();
    }

    @Test
    void behindATrustedProxyThePlayerIsTheRightMostUntrustedEntry() {
        MockHttpServletRequest request = request(PROXY);
        // The client wrote "8.8.8.8" itself; the proxy appended the address it saw.
        request.addHeader("X-Forwarded-For", "8.8.8.8, 1.1.1.1");

        assertThat(behindProxies.userIp(request)).isEqualTo("1.1.1.1");
    }

    @Test
    void trustedProxiesOnTheWayAreSkippedAndSeveralHeadersAreOneList() {
        MockHttpServletRequest request = request(PROXY);
        request.addHeader("X-Forwarded-For", "8.8.8.8, 2001:4860:4860::8888");
        request.addHeader("X-Forwarded-For", "10.0.0.9, 2001:db8:1::7");

        assertThat(behindProxies.userIp(request)).isEqualTo("2001:4860:4860:0:0:0:0:8888");
    }

    @Test
    void aPlayerWithAPrivateAddressSendsNoUserIp() {
        for (String player : List.of("192.168.1.20", "172.16.0.1", "100.64.3.4", "127.0.0.1", "169.254.1.1",
                "0.0.0.0", "::1", "fe80::1", "fd12:3456::1", "::", "ff02::1", "2001:db8::7", "203.0.113.7",
                "::ffff:10.1.2.3", "255.255.255.255", "224.0.0.1")) {
            MockHttpServletRequest request = request(PROXY);
            request.addHeader("X-Forwarded-For", player);

            assertThat(behindProxies.userIp(request)).as(player).isNull();
            assertThat(noProxies.userIp(request(player))).as(player).isNull();
        }
    }

    @Test
    void anIpv4MappedIpv6AddressIsSentAsIpv4() {
        MockHttpServletRequest request = request(PROXY);
        request.addHeader("X-Forwarded-For", "::ffff:8.8.8.8");

        assertThat(behindProxies.userIp(request)).isEqualTo("8.8.8.8");
    }

    @Test
    void portsAndBracketsSomeProxiesWriteAreUnderstood() {
        MockHttpServletRequest v4 = request(PROXY);
        v4.addHeader("X-Forwarded-For", "8.8.8.8:51234");
        MockHttpServletRequest v6 = request(PROXY);
        v6.addHeader("X-Forwarded-For", "[2001:4860:4860::8888]:443");

        assertThat(behindProxies.userIp(v4)).isEqualTo("8.8.8.8");
        assertThat(behindProxies.userIp(v6)).isEqualTo("2001:4860:4860:0:0:0:0:8888");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "evil.example", "8.8.8.8 evil", "300.1.2.3", "1.2.3", "fe80::1%eth0",
            "8.8.8.8\u0000", "", "0x08080808", "08.8.8.8", "[8.8.8.8", "dead:beef::1:2:3:4:5:6:7"})
    void garbageEndsTheSearchWithoutAnAnswer(String garbage) {
        MockHttpServletRequest request = request(PROXY);
        // Anything left of garbage is not believed either.
        request.addHeader("X-Forwarded-For", "8.8.8.8, " + garbage);

        assertThat(behindProxies.userIp(request)).isNull();
    }

    @Test
    void onlyTrustedProxiesOnTheWayOrNoHeaderMeansNoUserIp() {
        MockHttpServletRequest allTrusted = request(PROXY);
        allTrusted.addHeader("X-Forwarded-For", "10.0.0.7, 10.0.0.8");

        assertThat(behindProxies.userIp(allTrusted)).isNull();
        assertThat(behindProxies.userIp(request(PROXY))).as("the proxy is not the player").isNull();
    }

    @Test
    void theDeprecatedTrustProxyTrustsPrivateNetworksOnly() {
        ClientAddress trustProxy = new ClientAddress(ClientAddress.PRIVATE_NETWORKS);
        MockHttpServletRequest fromPrivateProxy = request("172.20.0.2");
        fromPrivateProxy.addHeader("X-Forwarded-For", "8.8.8.8, 100.64.0.3");
        MockHttpServletRequest fromPublicPeer = request("1.1.1.1");
        fromPublicPeer.addHeader("X-Forwarded-For", "8.8.8.8");

        assertThat(trustProxy.userIp(fromPrivateProxy)).isEqualTo("8.8.8.8");
        assertThat(trustProxy.userIp(fromPublicPeer)).isEqualTo("1.1.1.1");
    }

    @Test
    void proxySettingsAreIpLiteralsOrCidrBlocks() {
        assertThat(List.of("10.0.0.5", "10.0.0.0/8", "0.0.0.0/0", "fc00::/7", "2001:db8::1", "::/0"))
                .allMatch(ClientAddress::isProxyPattern);
        assertThat(List.of("proxy.example", "10.0.0.0/33", "fc00::/129", "10.0.0.0/", "/8", "10.0.0.0/8/8", "",
                "10.0.0.0/-1")).noneMatch(ClientAddress::isProxyPattern);
    }

    private static MockHttpServletRequest request(String remoteAddress) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/cloud/start");
        request.setRemoteAddr(remoteAddress);
        return request;
    }
}
