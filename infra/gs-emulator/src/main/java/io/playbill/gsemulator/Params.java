package io.playbill.gsemulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The parameters of one GS request, read with the types the API documents: a value of the wrong type answers
 * {@code InvalidParameterValue}, a required one that is missing {@code MissingParameter}.
 */
final class Params {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    private final JsonNode body;

    Params(JsonNode body) {
        this.body = body;
    }

    /** The String parameter {@code name}; absent, null or blank answers MissingParameter. */
    String requiredString(String name) {
        String value = optionalString(name);
        if (value.isEmpty()) {
            throw missing(name);
        }
        return value;
    }

    /** The String parameter {@code name}, stripped, or "" when absent, null or blank. */
    String optionalString(String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw invalid("The parameter `" + name + "` must be a String, not " + value.getNodeType() + ".");
        }
        return value.asText().strip();
    }

    /** The Integer parameter {@code name}, or empty when absent or null. */
    OptionalLong optionalInteger(String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalid("The parameter `" + name + "` must be an Integer, not " + value + ".");
        }
        return OptionalLong.of(value.asLong());
    }

    /** The optional String parameter {@code name}, which must be an IPv4 or IPv6 literal when given. */
    String optionalIp(String name) {
        String value = optionalString(name);
        if (!value.isEmpty() && !isIpLiteral(value)) {
            throw invalid("The parameter `" + name + "` must be an IP address (the player's public one), not "
                    + value + ".");
        }
        return value;
    }

    static GsApiException missing(String name) {
        return new GsApiException("MissingParameter", "The request is missing a required parameter `" + name + "`.");
    }

    static GsApiException invalid(String message) {
        return new GsApiException("InvalidParameterValue", message);
    }

    /** Never resolves a name: a bracketed text is parsed as an IPv6 literal or refused, without DNS. */
    private static boolean isIpLiteral(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (!text.contains(":") || !IPV6_CHARACTERS.matcher(text).matches()) {
            return false;
        }
        try {
            InetAddress.getByName("[" + text + "]");
            return true;
        } catch (UnknownHostException notALiteral) {
            return false;
        }
    }
}
