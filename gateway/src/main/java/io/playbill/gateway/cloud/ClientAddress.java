package io.playbill.gateway.cloud;

import jakarta.servlet.http.HttpServletRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The player's IP address for GS's UserIp (GS schedules a nearby worker by it). Proxy headers are believed only
 * with {@code playbill.cloud.trust-proxy=true}, i.e. behind a proxy that overwrites them; a value that is not an IP
 * literal is ignored, so a header can never smuggle anything else to GS.
 */
final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    static String of(HttpServletRequest request, boolean trustProxy) {
        if (trustProxy) {
            String forwardedFor = request.getHeader("X-Forwarded-For");
            if (forwardedFor != null) {
                // The first entry is the client as the (trusted) proxy saw it; later ones are proxies.
                String client = forwardedFor.split(",", 2)[0].strip();
                if (isIpLiteral(client)) {
                    return client;
                }
            }
            String realIp = request.getHeader("X-Real-IP");
            if (realIp != null && isIpLiteral(realIp.strip())) {
                return realIp.strip();
            }
        }
        return request.getRemoteAddr();
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

    private ClientAddress() {
    }
}
