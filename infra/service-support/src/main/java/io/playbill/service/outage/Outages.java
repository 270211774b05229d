package io.playbill.service.outage;

import org.apache.kafka.common.KafkaException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells a failure because a dependency is down (the database, the broker) from a bug: the first is answered 503 with
 * {@code Retry-After}, because the same request succeeds once the dependency is back and nothing was changed.
 */
public final class Outages {

    /** What 503s tell the caller to wait; PostgreSQL and the broker usually come back within seconds. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** The dependency that is down, as the error code names it. */
    public enum Dependency {
        DATABASE("database_unavailable", "The database is unavailable"),
        BROKER("broker_unavailable", "The Kafka broker is unavailable");

        private final String code;
        private final String message;

        Dependency(String code, String message) {
            this.code = code;
            this.message = message;
        }

        public String code() {
            return code;
        }

        public String message() {
            return message;
        }

        /** What the caller reads: what is down, and when to try again. */
        public String refusal() {
            return message + "; retry after " + RETRY_AFTER.toSeconds() + " s";
        }
    }

    /** A 503 in JSON with {@code Retry-After}, for the service's own error body. */
    public static ResponseEntity.BodyBuilder unavailable() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER.toSeconds()));
    }

    private Outages() {
    }

    /** The dependency whose outage caused {@code failure}, if one did. */
    public static Optional<Dependency> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || (t instanceof SQLException sql && isConnectionState(sql.getSQLState()))) {
                return Optional.of(Dependency.DATABASE);
            }
            if (t instanceof KafkaException) {
                return Optional.of(Dependency.BROKER);
            }
        }
        return Optional.empty();
    }

    /** SQL states 08 (connection exception) and 57P (operator intervention: the server shut down). */
    private static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }
}
