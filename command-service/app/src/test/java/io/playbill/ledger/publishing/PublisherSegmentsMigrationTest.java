package io.playbill.ledger.publishing;

import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaEventPublisher;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's token segments come from a migration, so that no ledger instance has to create them at start-up
 * (Axon's processor creates them only when it finds none; two instances doing so at once made one exit). A ledger
 * that has published before keeps its segments and their positions; one with V5's 16 segments gets 2, neither of
 * which skips an event any old segment had not published.
 */
class PublisherSegmentsMigrationTest {

    private static final String PUBLISHER = KafkaEventPublisher.DEFAULT_PROCESSING_GROUP;

    @Test
    void aFreshLedgerDatabaseHasEveryPublisherSegmentUnclaimedAtTheStartOfTheStore() {
        JdbcTemplate jdbc = migratedDatabase("fresh", "4", null);

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
        JdbcTemplate jdbc = migratedDatabase("upgrade", "4", jdbcBefore -> {
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

    @Test
    void sixteenSegmentsBecomeTwoThatResumeBelowTheLeastAdvancedPosition() {
        JdbcTemplate jdbc = migratedDatabase("merge", "6", jdbcBefore -> {
            jdbcBefore.update("delete from token_entry where processor_name = ?", PUBLISHER);
            for (int segment = 0; segment < 16; segment++) {
                // Segment 9 is the least advanced: its first gap, 1,180, was not published yet.
                String token = segment == 9 ? "{\"index\":1200,\"gaps\":[1180,1195]}"
                        : "{\"index\":" + (1250 + segment) + ",\"gaps\":[]}";
                jdbcBefore.update("insert into token_entry (processor_name, segment, owner, timestamp, token,"
                        + " token_type) values (?, ?, 'old-instance', '2026-01-01T00:00:00Z', ?, ?)", PUBLISHER,
                        segment, token.getBytes(StandardCharsets.UTF_8), GapAwareTrackingToken.class.getName());
            }
        });

        List<Map<String, Object>> segments = jdbc.queryForList("select segment, owner, token, token_type"
                + " from token_entry where processor_name = ? order by segment", PUBLISHER);

        assertThat(segments).extracting(row -> row.get("segment")).containsExactly(0, 1);
        for (Map<String, Object> row : segments) {
            assertThat(row.get("owner")).as("claims released").isNull();
            TrackingToken token = JacksonSerializer.defaultSerializer().deserialize(new SimpleSerializedObject<>(
                    (byte[]) row.get("token"), byte[].class, (String) row.get("token_type"), null));
            assertThat(token).as("what Axon reads back").isEqualTo(GapAwareTrackingToken.newInstance(1179, List.of()));
        }
    }

    @Test
    void segmentsThatNeverPublishedStayAtTheStartOfTheStore() {
        JdbcTemplate jdbc = migratedDatabase("merge-fresh", "6", jdbcBefore -> jdbcBefore.update(
                "update token_entry set token = ?, token_type = ? where processor_name = ? and segment = 3",
                "{\"index\":5,\"gaps\":[]}".getBytes(StandardCharsets.UTF_8), GapAwareTrackingToken.class.getName(),
                PUBLISHER));

        assertThat(jdbc.queryForList("select token from token_entry where processor_name = ? order by segment",
                byte[].class, PUBLISHER)).as("from the start: one segment had not read anything yet")
                .containsExactly(null, null);
    }

    /** A new database migrated to the latest version; {@code before}, when given, writes rows at {@code target} first. */
    private static JdbcTemplate migratedDatabase(String prefix, String target, Consumer<JdbcTemplate> before) {
        PostgresServer.Database db = PlaybillTestInfrastructure.shared().createDatabase("segments-" + prefix);
        DriverManagerDataSource dataSource = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        if (before != null) {
            Flyway.configure().dataSource(dataSource).target(target).load().migrate();
            before.accept(jdbc);
        }
        Flyway.configure().dataSource(dataSource).load().migrate();
        return jdbc;
    }
}
