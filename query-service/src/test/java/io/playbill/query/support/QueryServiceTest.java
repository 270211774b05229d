package io.playbill.query.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import io.playbill.query.projection.LedgerTopic;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.TrackingPositions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every integration test class extends this, so they all share one application context: one query database, one
 * ledger-shaped event store, and the test JVM's broker with the real ledger-events topic. Every test writes
 * complete, valid ledger histories (store and topic) for its own users, so a full audit stays clean between tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"playbill.metrics.scrape-token=" + QueryServiceTest.SCRAPE_TOKEN,
                "playbill.replay.outage-patience=8s", "playbill.projections.all-failed-patience=2s"})
// Spring Boot tests export no metrics unless asked: this one serves /actuator/prometheus as a deployment does.
@AutoConfigureObservability(tracing = false)
public abstract class QueryServiceTest {

    protected static final String SCRAPE_TOKEN = "query-service-test-scrape-token-0123456789";

    private static final Path LEDGER_EVENT_STORE_SCHEMA =
            Path.of("../command-service/app/src/main/resources/db/migration/V1__axon_event_store.sql");
    private static final PostgresServer.Database QUERY_DB;
    private static final PostgresServer.Database LEDGER_DB;
    private static final KafkaProducer<String, byte[]> PRODUCER;

    static {
        PlaybillTestInfrastructure infra = PlaybillTestInfrastructure.shared();
        QUERY_DB = infra.createDatabase("query");
        LEDGER_DB = infra.createDatabase("ledger");
        try {
            // The ledger's own migration (tests run in the module's directory), so the audits read exactly its schema.
            ledgerJdbc().execute(Files.readString(LEDGER_EVENT_STORE_SCHEMA, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PRODUCER = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infra.kafkaBootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(),
                new ByteArraySerializer());
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected ObjectMapper json;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected LedgerTopic topic;
    @Autowired
    protected KafkaMessageConverter<String, byte[]> converter;
    @Autowired
    @Qualifier("serializer")
    protected Serializer serializer;
    @Autowired
    @Qualifier("eventSerializer")
    protected Serializer eventSerializer;

    private Api api;
    private LedgerFixture ledger;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        QUERY_DB.springProperties("spring.datasource").forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spring.kafka.bootstrap-servers", PlaybillTestInfrastructure.shared()::kafkaBootstrapServers);
        registry.add("playbill.internal.key", () -> Api.INTERNAL_KEY);
        LEDGER_DB.springProperties("playbill.audit.ledger-datasource")
                .forEach((key, value) -> registry.add(key, () -> value));
    }

    protected Api api() {
        if (api == null) {
            api = new Api("http://127.0.0.1:" + port, json);
        }
        return api;
    }

    /**
     * Until the returned undo runs, every batch a replay of {@code projection} commits fails with SQLSTATE {@code sqlState} and
     * {@code message} (a trigger on its progress row), as a table changed under the replay, or a refusal for good,
     * would make it fail.
     */
    protected Runnable refusingReplayBatches(Projection projection, String sqlState, String message) {
        jdbc.execute("create function refuse_replay_batches() returns trigger language plpgsql as $$ begin"
                + " if new.projection = '" + projection.id() + "' and new.events_done > old.events_done then"
                + " raise exception '" + message.replace("'", "''") + "' using errcode = '" + sqlState + "';"
                + " end if; return new; end $$");
        jdbc.execute("create trigger refuse_replay_batches before update on projection_replay for each row"
                + " execute function refuse_replay_batches()");
        return () -> {
            jdbc.execute("drop trigger refuse_replay_batches on projection_replay");
            jdbc.execute("drop function refuse_replay_batches()");
        };
    }

    protected LedgerFixture ledger() {
        if (ledger == null) {
            ledger = new LedgerFixture(converter, eventSerializer, PRODUCER, ledgerJdbc(), topic.name());
        }
        return ledger;
    }

    protected static PostgresServer.Database ledgerDatabase() {
        return LEDGER_DB;
    }

    protected static Producer<String, byte[]> producer() {
        return PRODUCER;
    }

    protected static JdbcTemplate ledgerJdbc() {
        return new JdbcTemplate(new DriverManagerDataSource(LEDGER_DB.jdbcUrl(), LEDGER_DB.username(),
                LEDGER_DB.password()));
    }

    /** Runs an audit ({@code query} is "" or "?user=…&asOf=…") through the API and returns its report. */
    protected JsonNode audit(String query) throws InterruptedException {
        Api.Response started = api().post("/admin/audits" + query, "ops", "admin");
        if (started.status() != 202) {
            throw new AssertionError("The audit did not start: " + started.status() + " " + started.body());
        }
        String id = started.json().get("id").asText();
        assertThat(URI.create("/api/admin/audits").resolve(started.header("Location")))
                .as("the Location names the audit below the caller's path, the gateway's too")
                .hasPath("/api/admin/audits/" + id);
        long until = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < until) {
            JsonNode audit = api().get("/admin/audits/" + id, "ops", "admin").json();
            switch (audit.get("status").asText()) {
                case "completed" -> {
                    return audit.get("report");
                }
                case "failed" -> throw new AssertionError("The audit failed: " + audit);
                default -> Thread.sleep(50);
            }
        }
        throw new AssertionError("The audit did not finish within 10 minutes");
    }

    /** Waits until the live projections have processed every record now on the topic. */
    protected void awaitProjections() throws InterruptedException {
        LedgerTopic.Offsets offsets = topic.offsets();
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!TrackingPositions.reached(TrackingPositions.stored(jdbc, serializer, Projection.LIVE_PROCESSOR),
                offsets.beginning(), offsets.end())) {
            if (System.nanoTime() > until) {
                throw new AssertionError("The projections did not catch up with the topic within 5 minutes");
            }
            Thread.sleep(50);
        }
    }
}
