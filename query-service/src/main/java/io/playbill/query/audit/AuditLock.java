package io.playbill.query.audit;

import org.springframework.dao.DataAccessResourceFailureException;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The one audit lock of all query-service instances: a PostgreSQL transaction-level advisory lock, held in a
 * transaction kept open on a connection of its own while an audit runs. It ends with that transaction, on
 * {@link #release()} or when the connection dies with its instance or its database, so a crashed instance never
 * keeps the others from auditing. The transaction only takes the lock; it reads nothing, so it holds back no vacuum.
 */
final class AuditLock {

    /** The lock's key, the same in every instance ("PLAYAUDT" in ASCII). */
    private static final long KEY = 0x504C_4159_4155_4454L;

    private final Connection connection;

    private AuditLock(Connection connection) {
        this.connection = connection;
    }

    /** The lock, or empty while another holder (an audit running anywhere) has it. */
    static Optional<AuditLock> tryTake(DataSource dataSource) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("No connection for the audit lock: " + e.getMessage(), e);
        }
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement take = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                take.setLong(1, KEY);
                try (ResultSet result = take.executeQuery()) {
                    if (result.next() && result.getBoolean(1)) {
                        return Optional.of(new AuditLock(connection));
                    }
                }
            }
        } catch (SQLException e) {
            new AuditLock(connection).release();
            throw new DataAccessResourceFailureException("Cannot take the audit lock: " + e.getMessage(), e);
        }
        new AuditLock(connection).release();
        return Optional.empty();
    }

    /** Ends the transaction, which releases the lock, and gives the connection back. */
    void release() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // A dead connection holds no lock any more.
        } finally {
            try {
                connection.setAutoCommit(true);
                connection.close();
            } catch (SQLException e) {
                // The pool discards a broken connection by itself.
            }
        }
    }
}
