package io.playbill.service.parking;

import org.apache.kafka.common.errors.RetriableException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure every item would meet (the database or the broker unreachable, a lock or serialization conflict,
 * a schema the code does not match) from one of a single item, for every consumer that parks what it cannot process
 * (decision 020). The first kind is retried without end and parks nothing, since parking would only set aside every
 * item in turn; only the second, once it has failed every attempt, parks its item. Wider than
 * {@code io.playbill.service.outage.Outages}, which decides what a caller is told: a lock timeout or a missing
 * column is no outage to answer 503 for, but no reason to park an item either.
 */
public final class Failures {

    /**
     * SQLSTATE classes that are about the server or the connection, not the row: connection exception (08),
     * insufficient resources (53), operator intervention (57, e.g. a server shutting down), transaction rollback
     * (40: serialization failure, deadlock), invalid authorization (28), syntax error or access rule (42: a
     * missing table or column is a deployment problem), invalid catalog or schema (3D, 3F).
     */
    private static final Set<String> NOT_ABOUT_THE_ROW = Set.of("08", "53", "57", "40", "28", "42", "3D", "3F");
    /** lock_not_available: a lock or statement timeout. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** Exceptions that only carry another one on: a completion, a listener invocation, a reflective call. */
    private static final Set<String> WRAPPERS = Set.of("CompletionException", "ExecutionException",
            "ListenerExecutionFailedException", "InvocationTargetException", "UndeclaredThrowableException");
    private static final int MAX_DESCRIPTION = 2000;

    private Failures() {
    }

    /** Whether {@code failure} would meet any item, so retrying (not parking) is right. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TransientDataAccessException || cause instanceof DataAccessResourceFailureException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof SocketException || cause instanceof SocketTimeoutException
                    || cause instanceof RetriableException || cause instanceof TimeoutException
                    || cause instanceof InterruptedException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.equals(LOCK_NOT_AVAILABLE)
                        || state.length() >= 2 && NOT_ABOUT_THE_ROW.contains(state.substring(0, 2))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One line for an operator, storable in PostgreSQL text: the first failure that says more than that it wraps
     * another, and the innermost cause, which is where the database says what it refused.
     */
    public static String describe(Throwable failure) {
        Throwable told = failure;
        while (told.getCause() != null && told.getCause() != told && (told.getMessage() == null
                || told.getMessage().equals(told.getCause().toString())
                || WRAPPERS.contains(told.getClass().getSimpleName()))) {
            told = told.getCause();
        }
        Throwable root = told;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = told.getClass().getSimpleName() + ": " + told.getMessage();
        boolean rootTold = told.getMessage() != null && told.getMessage().contains(String.valueOf(root.getMessage()));
        if (root != told && !rootTold) {
            text += " (" + root + ")";
        }
        text = storable(text);
        return text.length() > MAX_DESCRIPTION ? text.substring(0, MAX_DESCRIPTION) : text;
    }

    /** PostgreSQL's text holds neither U+0000 nor an unpaired surrogate: each becomes U+FFFD. */
    private static String storable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
