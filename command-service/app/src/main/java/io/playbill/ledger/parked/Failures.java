package io.playbill.ledger.parked;

import org.apache.kafka.common.errors.RetriableException;
import org.axonframework.common.AxonTransientException;
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
 * Tells a failure every item would meet (the database or the broker unreachable, a lock or serialization
 * conflict, an aggregate changed by another instance, a schema the code does not match) from one of a single item.
 * The first kind is retried without end and parks nothing; only the second, once it has failed every attempt while
 * other items went through, parks its item (decision 020). The same rule as the query service's.
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

    private Failures() {
    }

    /** Exceptions that only carry another one on: a completion, a listener invocation, a reflective call. */
    private static boolean isWrapper(Throwable failure) {
        String name = failure.getClass().getSimpleName();
        return name.equals("CompletionException") || name.equals("ExecutionException")
                || name.equals("ListenerExecutionFailedException") || name.equals("InvocationTargetException")
                || name.equals("UndeclaredThrowableException");
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
                    || cause instanceof InterruptedException || cause instanceof AxonTransientException) {
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
     * One line for an operator: the first failure that says more than that it wraps another, and the innermost
     * cause, which is where the database says what it refused.
     */
    public static String describe(Throwable failure) {
        Throwable told = failure;
        while (told.getCause() != null && told.getCause() != told && (told.getMessage() == null
                || told.getMessage().equals(told.getCause().toString()) || isWrapper(told))) {
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
        // PostgreSQL's text cannot hold U+0000.
        text = text.replace((char) 0, '?');
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }
}
