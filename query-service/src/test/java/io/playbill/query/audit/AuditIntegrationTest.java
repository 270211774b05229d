package io.playbill.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.query.support.QueryServiceTest;
import io.playbill.query.support.ScriptedHistory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Audits find what was broken on purpose, name it, and are clean again once it is repaired. */
class AuditIntegrationTest extends QueryServiceTest {

    @Test
    void aCorruptedProjectionRowIsReportedWithTheRowsPosition() throws Exception {
        ScriptedHistory history = new ScriptedHistory(Instant.parse("2033-05-01T00:00:00Z")).write(ledger());
        awaitProjections();
        assertThat(auditOf(history.userB).get("clean").asBoolean()).isTrue();

        jdbc.update("update statement_line set amount = -204 where user_id = ? and seq = 5", history.userB);
        jdbc.update("update game_session set charged_amount = 499 where user_id = ?", history.userB);
        try {
            JsonNode report = auditOf(history.userB);
            assertThat(report.get("clean").asBoolean()).isFalse();
            assertThat(findings(report)).containsExactlyInAnyOrder(
                    "projection_mismatch statement #5 PlaytimeCharged",
                    "projection_mismatch sessions #10 SessionEnded");
            assertThat(report.get("findings").get(0).get("message").asText() + report.get("findings").get(1)
                    .get("message").asText()).contains("amount=-204").contains("chargedAmount 499 (events: 500)");

            JsonNode all = audit("");
            assertThat(all.get("findingCount").asLong()).isEqualTo(2);
        } finally {
            jdbc.update("update statement_line set amount = -205 where user_id = ? and seq = 5", history.userB);
            jdbc.update("update game_session set charged_amount = 500 where user_id = ?", history.userB);
        }
        assertThat(auditOf(history.userB).get("clean").asBoolean()).isTrue();
    }

    @Test
    void anEventDeletedFromTheStoreIsNamed() throws Exception {
        ScriptedHistory history = new ScriptedHistory(Instant.parse("2033-06-01T00:00:00Z")).write(ledger());
        awaitProjections();
        String deletedId = jdbcLedgerEventId(history.userA, 7);

        Runnable restore = ledger().deleteStored(history.userA, 7);
        try {
            JsonNode report = auditOf(history.userA);
            assertThat(findings(report)).contains("missing_from_store null #7 PlaytimeCharged",
                    "sequence_gap null #8 SessionRenewed");
            JsonNode missing = find(report, "missing_from_store");
            assertThat(missing.get("eventId").asText()).isEqualTo(deletedId);
            assertThat(missing.get("category").asText()).isEqualTo("invariant");
            assertThat(missing.get("message").asText()).contains("on the topic but not in the event store");

            JsonNode all = audit("");
            assertThat(findings(all)).contains("missing_from_store null #7 PlaytimeCharged");
        } finally {
            restore.run();
        }
        assertThat(auditOf(history.userA).get("clean").asBoolean()).isTrue();
    }

    private String jdbcLedgerEventId(String user, long sequence) {
        return ledgerJdbc().queryForObject("select event_identifier from domain_event_entry"
                + " where aggregate_identifier = ? and sequence_number = ?", String.class, user, sequence);
    }

    private JsonNode auditOf(String user) throws InterruptedException {
        return audit("?user=" + user);
    }

    private static List<String> findings(JsonNode report) {
        List<String> found = new ArrayList<>();
        report.get("findings").forEach(f -> found.add(f.get("kind").asText() + " " + f.get("projection").asText()
                + " #" + f.get("sequence").asText() + " " + f.get("eventType").asText()));
        return found;
    }

    private static JsonNode find(JsonNode report, String kind) {
        for (JsonNode finding : report.get("findings")) {
            if (finding.get("kind").asText().equals(kind)) {
                return finding;
            }
        }
        throw new AssertionError("No " + kind + " in " + report);
    }
}
