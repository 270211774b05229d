package io.playbill.service.security;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's {@link StrictHttpFirewall} with its own character rules for header names, header values and
 * parameter names, checked code point by code point. The stock firewall checks them with a regular expression
 * ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}) on every header read, and a request reads its headers several
 * times (the bearer token resolver, DPoP's matcher, Spring MVC's routing): on the gateway's game path that regular
 * expression was a third of a request thread's CPU (docs/performance.md). Same verdicts, by test over every code
 * point ({@code FirewallsTest}); every other rule of the stock firewall (methods, encoded slashes, {@code ;} path
 * parameters, …) stays as it is. A service declares the firewall as a bean; Spring Security finds it by type.
 */
public final class Firewalls {

    private Firewalls() {
    }

    public static StrictHttpFirewall strict() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(Firewalls::assignedAndNotControl);
        firewall.setAllowedHeaderValues(Firewalls::headerValue);
        firewall.setAllowedParameterNames(Firewalls::assignedAndNotControl);
        return firewall;
    }

    /** The stock rule for header and parameter names: every code point assigned in Unicode and none a control. */
    static boolean assignedAndNotControl(String text) {
        return allowed(text, false);
    }

    /** The stock rule for header values: the same, except that a tab is allowed. */
    static boolean headerValue(String text) {
        return allowed(text, true);
    }

    private static boolean allowed(String text, boolean tab) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                i++; // printable ASCII, nearly every character of a real request
                continue;
            }
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL && !(tab && codePoint == '\t')) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
