package io.playbill.infra.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SASL/SCRAM-SHA-256 users of a secured {@link EmbeddedKafkaBroker} and their passwords. The passwords are
 * generated at random for each start ({@link #randomForServices()}), never written to disk by the broker, and
 * meant for a development or test platform only: production clusters manage their own credentials.
 */
public record ScramUsers(Map<String, String> passwords) {

    public static final String MECHANISM = "SCRAM-SHA-256";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ScramUsers {
        passwords = Map.copyOf(passwords);
        passwords.forEach((user, password) -> {
            // Both end up inside a JAAS string; these characters need no quoting there.
            if (!NAME.matcher(user).matches() || !NAME.matcher(password).matches()) {
                throw new IllegalArgumentException("SCRAM user names and passwords are limited to [A-Za-z0-9._-]: "
                        + user);
            }
        });
    }

    /** The three services' users ({@link PlaybillAcls#GATEWAY_USER} ...), each with a fresh random password. */
    public static ScramUsers randomForServices() {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String user : new String[]{PlaybillAcls.GATEWAY_USER, PlaybillAcls.LEDGER_USER, PlaybillAcls.QUERY_USER}) {
            passwords.put(user, randomPassword());
        }
        return new ScramUsers(passwords);
    }

    static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("No SCRAM user " + user);
        }
        return password;
    }

    /**
     * The Kafka client settings that log {@code user} in: {@code security.protocol}, {@code sasl.mechanism} and
     * {@code sasl.jaas.config} (which holds the password).
     */
    public Map<String, String> clientSettings(String user) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name,
                SaslConfigs.SASL_MECHANISM, MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(user, password(user)));
    }

    static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Never prints the passwords. */
    @Override
    public String toString() {
        return "ScramUsers" + passwords.keySet();
    }
}
