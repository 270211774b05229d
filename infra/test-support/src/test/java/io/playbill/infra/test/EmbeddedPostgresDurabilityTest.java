package io.playbill.infra.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded server, which `./playbill up` runs the platform on, reports a commit only once it is on disk:
 * zonky's builder would start it with {@code synchronous_commit = off} and {@code -F} (decision 046).
 */
class EmbeddedPostgresDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void aCommitIsReportedOnlyOnceItsLogIsFlushed() throws Exception {
        try (PostgresServer server = PostgresServer.embedded(dir, 0)) {
            var db = server.createDatabaseNamed("durability");

            assertThat(setting(db, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(db, "fsync")).isEqualTo("on");
        }
    }

    private static String setting(PostgresServer.Database db, String name) throws SQLException {
        try (var connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             var result = connection.createStatement().executeQuery("show " + name)) {
            result.next();
            return result.getString(1);
        }
    }
}
