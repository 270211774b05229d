package io.playbill.gateway.cloud;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The player's address for GS's UserIp (GS schedules a nearby worker by it), or none.
 *
 * <p>The peer of the connection is the player unless it is one of the configured trusted proxies. Behind a trusted
 * proxy the player is the right-most {@code X-Forwarded-For} entry that is not a trusted proxy: each proxy appends
 * the address it saw, so entries to the left of it are whatever the client sent and prove nothing. An entry that is
 * not an IP literal ends the search without an answer.
 *
 * <p>Only a public address is sent as the player's: a private, loopback, link-local, shared (CGNAT), documentation or
 * otherwise special-purpose one would mislead GS, which then schedules without UserIp. Values are parsed as IP
 * literals only, never resolved as host names.
 */
final class ClientAddress {

    /** {@code playbill.cloud.trust-proxy=true} (deprecated) trusts these: proxies on the operator's own network. */
    static final List<String> PRIVATE_NETWORKS = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "100.64.0.0/10", "127.0.0.0/8", "::1", "fc00::/7");

    /** IPv4 ranges that are not a player's public address (IANA special-purpose registry). */
    private static final List<IpAddressMatcher> NON_PUBLIC_V4 = matchers(List.of("0.0.0.0/8", "10.0.0.0/8",
            "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
            "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4"));
    /** Public IPv6 is global unicast (2000::/3) outside these special-purpose ranges. */
    private static final IpAddressMatcher GLOBAL_UNICAST_V6 = new IpAddressMatcher("2000::/3");
    private static final List<IpAddressMatcher> NON_PUBLIC_V6 = matchers(List.of("2001::/23", "2001:db8::/32",
            "2002::/16", "3fff::/20"));

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    /** Some proxies write a port: {@code 203.0.113.7:443}, {@code [2001:db8::7]:443}, or brackets alone. */
    private static final Pattern WITH_PORT = Pattern.compile("\\[([^]]*)](:\\d{1,5})?|([0-9.]+):\\d{1,5}");
    private static final Pattern PROXY = Pattern.compile("([^/]+)(/(\\d{1,3}))?");

    private final List<IpAddressMatcher> trustedProxies;

    /** @param trustedProxies IP literals or CIDR blocks, each valid by {@link #isProxyPattern} */
    ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = matchers(trustedProxies);
    }

    /** From the settings: {@code trusted-proxies}, else with the deprecated {@code trust-proxy} private networks. */
    static ClientAddress of(CloudProperties cloud) {
        if (!cloud.trustedProxies().isEmpty()) {
            return new ClientAddress(cloud.trustedProxies());
        }
        return new ClientAddress(cloud.trustProxy() ? PRIVATE_NETWORKS : List.of());
    }

    /** The player's public IP literal for UserIp, or null when it is not known or not public. */
    String userIp(HttpServletRequest request) {
        InetAddress peer = parse(request.getRemoteAddr());
        if (peer == null) {
            return null;
        }
        if (!isTrusted(peer)) {
            return publicOrNull(peer);
        }
        List<String> forwardedFor = forwardedFor(request);
        for (int i = forwardedFor.size() - 1; i >= 0; i--) {
            InetAddress hop = parse(forwardedFor.get(i));
            if (hop == null) {
                return null;
            }
            if (!isTrusted(hop)) {
                return publicOrNull(hop);
            }
        }
        // Only trusted proxies on the way, or none named the client: the player is not known.
        return null;
    }

    private boolean isTrusted(InetAddress address) {
        String literal = address.getHostAddress();
        return trustedProxies.stream().anyMatch(proxy -> proxy.matches(literal));
    }

    /** Every entry of every X-Forwarded-For header, in order (several headers are one list, RFC 9110). */
    private static List<String> forwardedFor(HttpServletRequest request) {
        List<String> entries = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
            for (String entry : header.split(",", -1)) {
                entries.add(entry.strip());
            }
        }
        return entries;
    }

    private static String publicOrNull(InetAddress address) {
        return isPublic(address) ? address.getHostAddress() : null;
    }

    static boolean isPublic(InetAddress address) {
        String literal = address.getHostAddress();
        if (address instanceof Inet4Address) {
            return NON_PUBLIC_V4.stream().noneMatch(range -> range.matches(literal));
        }
        return GLOBAL_UNICAST_V6.matches(literal) && NON_PUBLIC_V6.stream().noneMatch(range -> range.matches(literal));
    }

    /**
     * {@code value} as an address if it is an IP literal (an IPv4-mapped IPv6 one gives the IPv4 address), else null.
     * Never asks DNS.
     */
    static InetAddress parse(String value) {
        if (value == null) {
            return null;
        }
        String literal = value.strip();
        Matcher withPort = WITH_PORT.matcher(literal);
        if (withPort.matches()) {
            literal = withPort.group(1) != null ? withPort.group(1) : withPort.group(3);
        }
        if (!isIpLiteral(literal)) {
            return null;
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static boolean isIpLiteral(String value) {
        if (IPV4.matcher(value).matches()) {
            return true;
        }
        if (!value.contains(":") || !IPV6_CHARACTERS.matcher(value).matches()) {
            return false;
        }
        try {
            // With a ':' the JDK parses an IPv6 literal and never asks DNS.
            InetAddress.getByName(value);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A trusted proxy setting: an IP literal, or one with a prefix length ({@code 10.0.0.0/8}, {@code fc00::/7}). */
    static boolean isProxyPattern(String value) {
        if (value == null) {
            return false;
        }
        Matcher proxy = PROXY.matcher(value);
        if (!proxy.matches() || !isIpLiteral(proxy.group(1))) {
            return false;
        }
        int maxPrefix = IPV4.matcher(proxy.group(1)).matches() ? 32 : 128;
        return proxy.group(3) == null || Integer.parseInt(proxy.group(3)) <= maxPrefix;
    }

    private static List<IpAddressMatcher> matchers(List<String> patterns) {
        return patterns.stream().map(IpAddressMatcher::new).toList();
    }
}
