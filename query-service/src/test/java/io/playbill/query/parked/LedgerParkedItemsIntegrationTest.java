package io.playbill.query.parked;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.query.support.QueryServiceTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's parked items as an operator lists them here (written by command-service, whose own tests park them:
 * ParkedLedgerItemsIntegrationTest there); rows are put in its tables directly, in the ledger's own schema.
 */
class LedgerParkedItemsIntegrationTest extends QueryServiceTest {

    private static final Path LEDGER_MIGRATIONS = Path.of("../command-service/app/src/main/resources/db/migration");

    @BeforeAll
    static void ledgerParkingSchema() throws IOException {
        JdbcTemplate ledger = ledgerJdbc();
        if (ledger.queryForObject("select to_regclass('parked_request') is null", Boolean.class)) {
            ledger.execute(Files.readString(LEDGER_MIGRATIONS.resolve("V2__price_book_and_session_expiry.sql"),
                    StandardCharsets.UTF_8));
            ledger.execute(Files.readString(LEDGER_MIGRATIONS.resolve("V4__parked_items.sql"),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void anAdminListsWhatEachLedgerConsumerParkedWithTheItemToRetryOrSkip() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "parked-" + id;
        JdbcTemplate ledger = ledgerJdbc();
        long request = ledger.queryForObject("insert into parked_request (topic, topic_partition, topic_offset,"
                + " record_key, request_id, payload, error, attempts, parked_at) values ('playbill.ledger-requests', 2,"
                + " ?, ?, ?, ?, 'DataIntegrityViolationException: refused', 3, now()) returning id", Long.class,
                Math.abs(id.hashCode()), user, "req-" + id, "{}".getBytes(StandardCharsets.UTF_8));
        ledger.update("insert into parked_request (topic, topic_partition, topic_offset, record_key, request_id,"
                + " payload, error, attempts, parked_at, status) values ('playbill.ledger-requests', 3, ?, ?, 'done',"
                + " ?, 'e', 3, now(), 'skipped')", Math.abs(id.hashCode()), user, new byte[0]);
        ledger.update("insert into session_expiry (user_id, session_id, expires_at_millis, attempts, last_error,"
                + " parked_at_millis) values (?, 's1', 0, 5, 'boom', ?)", user, System.currentTimeMillis());
        List<String> events = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        for (int index = 0; index < 2; index++) {
            ledger.update("insert into dead_letter_entry (dead_letter_id, processing_group, sequence_identifier,"
                    + " sequence_index, message_type, event_identifier, time_stamp, payload_type, payload,"
                    + " enqueued_at, cause_type, cause_message) values (?, 'publisher', ?, ?, 'domain', ?, 'now',"
                    + " 'io.playbill.ledger.api.events.FundsDeposited', ?, now(), 'RecordTooLargeException', 'big')",
                    UUID.randomUUID().toString(), user, index, events.get(index), new byte[] {1});
        }

        JsonNode all = api().get("/admin/parked/ledger?size=500", "ops", "admin").json();
        List<JsonNode> mine = ofUser(all, user);
        assertThat(mine).extracting(item -> item.get("consumer").asText() + " " + item.get("item").asText() + " "
                + item.get("status").asText()).containsExactlyInAnyOrder("intake " + request + " parked",
                "expiry " + user + "/s1 parked", "publisher " + user + "/" + events.get(0) + " parked",
                "publisher " + user + "/" + events.get(1) + " waiting");
        JsonNode intake = mine.stream().filter(item -> item.get("consumer").asText().equals("intake")).findFirst()
                .orElseThrow();
        assertThat(intake.get("detail").asText()).isEqualTo("req-" + id);
        assertThat(intake.get("error").asText()).contains("refused");
        assertThat(intake.get("attempts").asInt()).isEqualTo(3);
        assertThat(intake.get("partition").asInt()).isEqualTo(2);
        assertThat(all.get("total").asLong()).isGreaterThanOrEqualTo(4);

        assertThat(ofUser(api().get("/admin/parked/ledger?consumer=expiry", "ops", "admin").json(), user))
                .singleElement().satisfies(item -> assertThat(item.get("error").asText()).isEqualTo("boom"));
        assertThat(api().get("/admin/parked/ledger?consumer=nobody", "ops", "admin").error())
                .isEqualTo("400 invalid_consumer");
        assertThat(api().get("/admin/parked/ledger", "fiona", "finance").error()).isEqualTo("403 forbidden");
        assertThat(api().get("/admin/parked/ledger", user, "user").error()).isEqualTo("403 forbidden");
    }

    /** A user's parked events share their item and time: page by page they come in the user's order, each once. */
    @Test
    void aUsersParkedEventsArePagedInTheirOrderEachOnce() {
        String user = "paged-" + UUID.randomUUID().toString().substring(0, 8);
        JdbcTemplate ledger = ledgerJdbc();
        // Later than anything else in the table, so they are the first page's; written last one first.
        Timestamp enqueued = Timestamp.from(Instant.parse("2099-01-01T00:00:00Z"));
        for (int index = 3; index >= 0; index--) {
            ledger.update("insert into dead_letter_entry (dead_letter_id, processing_group, sequence_identifier,"
                    + " sequence_index, message_type, event_identifier, time_stamp, payload_type, payload,"
                    + " enqueued_at, cause_type, cause_message) values (?, 'publisher', ?, ?, 'domain', ?, 'now',"
                    + " ?, ?, ?, 'RecordTooLargeException', 'big')", UUID.randomUUID().toString(), user, index,
                    UUID.randomUUID().toString(), "event-" + index, new byte[] {1}, enqueued);
        }
        try {
            List<String> paged = new ArrayList<>();
            for (int page = 0; page < 4; page++) {
                paged.add(api().get("/admin/parked/ledger?consumer=publisher&size=1&page=" + page, "ops", "admin")
                        .json().get("items").get(0).get("detail").asText());
            }
            assertThat(paged).containsExactly("event-0", "event-1", "event-2", "event-3");
        } finally {
            ledger.update("delete from dead_letter_entry where sequence_identifier = ?", user);
        }
    }

    private static List<JsonNode> ofUser(JsonNode page, String user) {
        List<JsonNode> rows = new ArrayList<>();
        page.get("items").forEach(item -> {
            if (user.equals(item.get("userId").asText())) {
                rows.add(item);
            }
        });
        return rows;
    }
}
