package io.playbill.infra.standalone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./playbill audit [--user U] [--as-of T] [--gateway URL] [--token T]}: recomputes every account (or one)
 * from the ledger's event store and the topic, compares with the projections, prints a summary and the JSON report,
 * and exits with 3 when there is any finding (1 when the audit could not run or the usage is wrong).
 */
final class AuditCommand {

    static final int FINDINGS_EXIT_CODE = 3;
    private static final String USAGE = "Usage: audit [--user USER] [--as-of 2030-01-15T10:00:00Z] [--gateway URL]"
            + " [--token ADMIN_TOKEN, better given as PLAYBILL_ADMIN_TOKEN]";
    private static final int LISTED = 20;

    private AuditCommand() {
    }

    static void run(String[] args) throws JsonProcessingException, InterruptedException {
        String user = null;
        String asOf = null;
        String gateway = AdminApi.defaultGateway();
        String token = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user" -> user = value(args, ++i);
                case "--as-of" -> asOf = value(args, ++i);
                case "--gateway" -> gateway = value(args, ++i);
                case "--token" -> token = value(args, ++i);
                default -> throw new IllegalArgumentException(USAGE);
            }
        }
        List<String> query = new ArrayList<>();
        if (user != null) {
            query.add("user=" + URLEncoder.encode(user, StandardCharsets.UTF_8));
        }
        if (asOf != null) {
            query.add("asOf=" + URLEncoder.encode(asOf, StandardCharsets.UTF_8));
        }
        String path = "api/admin/audits" + (query.isEmpty() ? "" : "?" + String.join("&", query));
        AdminApi api = new AdminApi(gateway, token);
        String id = api.post(path, Duration.ofSeconds(60)).ok("Starting the audit").path("id").asText();
        System.out.println("Audit " + id + " started ...");
        JsonNode audit = api.get("api/admin/audits/" + id).ok("Following the audit");
        while ("running".equals(audit.path("status").asText())) {
            Thread.sleep(1000);
            audit = api.get("api/admin/audits/" + id).ok("Following the audit");
        }
        if (!"completed".equals(audit.path("status").asText())) {
            throw new IllegalStateException("Audit " + id + " failed: " + audit.path("error").asText());
        }
        JsonNode report = audit.path("report");
        summary(report);
        System.out.println();
        System.out.println(AdminApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        if (!report.path("clean").asBoolean()) {
            System.exit(FINDINGS_EXIT_CODE);
        }
    }

    private static void summary(JsonNode report) {
        String scope = report.path("user").isTextual() ? "account " + report.path("user").asText() : "all accounts";
        String asOf = report.path("asOf").isTextual() ? " as of " + report.path("asOf").asText() : "";
        System.out.printf(Locale.ROOT, "Audit of %s%s: %,d accounts, %,d store events and %,d topic records in %.1f s"
                        + " (%,d events/s).%n", scope, asOf, report.path("accountsChecked").asLong(),
                report.path("storeEvents").asLong(), report.path("topicRecords").asLong(),
                report.path("durationMillis").asLong() / 1000.0, report.path("eventsPerSecond").asLong());
        if (report.path("balance").isNumber()) {
            System.out.printf(Locale.ROOT, "Balance%s: %,d%n", asOf, report.path("balance").asLong());
        }
        if (report.path("liability").isNumber()) {
            System.out.printf(Locale.ROOT, "Liability (Σ balances)%s: %,d%n", asOf, report.path("liability").asLong());
        }
        report.path("projections").properties().forEach(p -> System.out.printf(Locale.ROOT, "  %-10s %s%n",
                p.getKey(), p.getValue().path("caughtUp").asBoolean() ? "caught up"
                        : p.getValue().path("eventsBehind").asLong() + " events behind"));
        report.path("notes").forEach(note -> System.out.println("Note: " + note.asText()));
        long count = report.path("findingCount").asLong();
        if (count == 0) {
            System.out.println(report.path("complete").asBoolean() ? "Clean: no findings."
                    : "No findings, but not every comparison was made (see the notes): audit again while the ledger"
                    + " is quiet for a complete one.");
            return;
        }
        System.out.printf(Locale.ROOT, "%,d finding(s) %s:%n", count, report.path("findingsByKind"));
        int shown = 0;
        for (JsonNode finding : report.path("findings")) {
            if (shown++ == LISTED) {
                System.out.println("  ... (all listed in the JSON report below)");
                break;
            }
            System.out.printf(Locale.ROOT, "  %-22s %s%s%s: %s%n", finding.path("kind").asText(),
                    text(finding, "user", ""), text(finding, "sequence", " #"), text(finding, "eventType", " "),
                    finding.path("message").asText());
        }
    }

    private static String text(JsonNode finding, String field, String prefix) {
        JsonNode value = finding.path(field);
        return value.isNull() || value.isMissingNode() ? "" : prefix + value.asText();
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(USAGE);
        }
        return args[index];
    }
}
