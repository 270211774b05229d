package io.playbill.service.durability;

import org.springframework.beans.factory.InitializingBean;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Refuses to start on a PostgreSQL session that reports a commit before its write-ahead log is on disk
 * ({@code synchronous_commit = off}). The ledger answers a request and commits its Kafka offset only after its
 * transaction commits, and the gateway records a session's end before it stops the game; a commit that a crash of
 * PostgreSQL or of the machine can still undo would lose a request that was answered as accepted, for good
 * (decision 046). Every other value ({@code local}, {@code on}, {@code remote_write}, {@code remote_apply}) waits at
 * least for the local flush. A bean: Spring creates it before any listener container starts, so a refused service
 * has taken no request.
 */
public final class DurableCommits implements InitializingBean {

    private final DataSource dataSource;
    private final String database;

    /** {@code database} names the data source in the refusal, e.g. "the ledger's database". */
    public DurableCommits(DataSource dataSource, String database) {
        this.dataSource = dataSource;
        this.database = database;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        String setting = synchronousCommit(dataSource);
        if (setting.equalsIgnoreCase("off")) {
            throw new IllegalStateException("PostgreSQL runs " + database + " with synchronous_commit = off: it would"
                    + " report commits that a crash can still undo, and an accepted request would be lost. Use 'on'"
                    + " (PostgreSQL's default), or 'local' and up, for this database, its role and its server.");
        }
    }

    /** The value a connection of {@code dataSource} runs with: the server's, the database's or the role's setting. */
    private static String synchronousCommit(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("show synchronous_commit")) {
            result.next();
            return result.getString(1);
        }
    }
}
