package io.playbill.ledger.publishing;

import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaEventPublisher;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's token segments come from a migration, so that no ledger instance has to create them at start-up
 * (Axon's processor creates them only when it finds none; two instances doing so at once made one exit). A ledger
 * that has published before keeps its segments and their positions.
 */
class PublisherSegmentsMigrationTest {

    private static final String PUBLISHER = KafkaEventPublisher.DEFAULT_PROCESSING_GROUP;

    @Test
    void aFreshLedgerDatabaseHasEveryPublisherSegmentUnclaimedAtTheStartOfTheStore() {
        JdbcTemplate jdbc = migratedDatabase("fresh", null);

        List<Map<String, Object>> segments = jdbc.queryForList("select segment, owner, token, timestamp"
                + " from token_entry where processor_name = ? order by segment", PUBLISHER);

        assertThat(segments).extracting(row -> row.get("segment"))
                .as("the processor's segments, as many as it is configured with")
                .hasSize(EventPublishingConfiguration.SEGMENTS)
                .containsExactlyElementsOf(IntStream.range(0, EventPublishingConfiguration.SEGMENTS)
                        .boxed().toList());
        assertThat(segments).allSatisfy(row -> {
            assertThat(row.get("owner")).as("claimed by nobody").isNull();
            assertThat(row.get("token")).as("from the start of the event store").isNull();
            assertThat(Instant.parse((String) row.get("timestamp"))).as("a timestamp Axon can read")
                    .isBefore(Instant.now().plusSeconds(1));
        });
    }

    @Test
    void aLedgerThatPublishedBeforeKeepsItsSegmentsAndPositions() {
        JdbcTemplate jdbc = migratedDatabase("upgrade", jdbcBefore -> {
            for (int segment = 0; segment < 2; segment++) {
                jdbcBefore.update("insert into token_entry (processor_name, segment, owner, timestamp, token,"
                        + " token_type) values (?, ?, null, '2026-01-01T00:00:00Z', ?, 'gap-aware')", PUBLISHER,
                        segment, new byte[]{42, (byte) segment});
            }
        });

        assertThat(jdbc.queryForList("select segment from token_entry where processor_name = ? order by segment",
                Integer.class, PUBLISHER)).containsExactly(0, 1);
        assertThat(jdbc.queryForObject("select token from token_entry where processor_name = ? and segment = 1",
                byte[].class, PUBLISHER)).containsExactly(42, 1);
    }

    /** A new database migrated to the latest version; {@code beforeV5}, when given, writes rows at version 4 first. */
    private static JdbcTemplate migratedDatabase(String prefix, Consumer<JdbcTemplate> beforeV5) {
        PostgresServer.Database db = PlaybillTestInfrastructure.shared().createDatabase("segments-" + prefix);
        DriverManagerDataSource dataSource = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        if (beforeV5 != null) {
            Flyway.configure().dataSource(dataSource).target("4").load().migrate();
            beforeV5.accept(jdbc);
        }
        Flyway.configure().dataSource(dataSource).load().migrate();
        return jdbc;
    }
}
