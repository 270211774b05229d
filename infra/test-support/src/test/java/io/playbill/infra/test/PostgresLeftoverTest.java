package io.playbill.infra.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** An embedded PostgreSQL whose owner is gone is found from its data directory and stopped; nothing else is. */
class PostgresLeftoverTest {

    @TempDir
    Path dir;

    @Test
    void stopsTheServerLeftRunningOnTheDataDirectory() throws Exception {
        PostgresServer abandoned = PostgresServer.embedded(dir, 0);
        long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).trim());
        var db = abandoned.createDatabaseNamed("probe");

        assertThat(PostgresServer.stopLeftoverEmbedded(dir)).hasValue(postmaster);

        assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(dir.resolve("data/postmaster.pid")).as("a clean stop removes its lock file").doesNotExist();
        assertThat(canConnect(db)).isFalse();
        assertThat(PostgresServer.stopLeftoverEmbedded(dir)).as("nothing left to stop").isEmpty();
    }

    @Test
    void leavesAProcessThatIsNoPostgresAlone() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        long self = ProcessHandle.current().pid();
        Files.writeString(dir.resolve("data/postmaster.pid"), self + "\n" + dir.resolve("data") + "\n");

        assertThat(PostgresServer.stopLeftoverEmbedded(dir)).isEmpty();

        Files.writeString(dir.resolve("data/postmaster.pid"), "not a pid\n");
        assertThat(PostgresServer.stopLeftoverEmbedded(dir)).isEmpty();
    }

    private static boolean canConnect(PostgresServer.Database db) {
        try (var c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
