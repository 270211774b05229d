package io.playbill.infra.loadgen.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.playbill.infra.loadgen.simulate.Reconciliation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a soak found, as JSON (for machines) and as text (for people): the faults and how long the platform took to
 * recover from each, the longest outage of each service as the calls to it saw it, lost requests, things applied
 * twice, the reconciliation of every balance, and the audit (and, with several instances, how they coordinated).
 *
 * @param players        players that arrived
 * @param played         players that received a first renew token
 * @param chaos          the faults, in order
 * @param outages        every outage of a service seen by the calls, oldest first
 * @param refusals       how many ledger calls were refused with a 4xx other than 402, and the first of them
 * @param replay         the replay asked of every query-service instance at once (null with one instance)
 * @param platformFailure why the platform gave up on a service (a service that crashed too often), or null
 */
public record SoakReport(String runId, SoakOptions options, double seconds, int players, int played,
                         List<Chaos.Event> chaos, List<Availability.Outage> outages, long refusalCount,
                         List<Availability.Refusal> refusals,
                         LedgerCheck.Result ledger, Reconciliation.Result reconciliation,
                         Coordination.Outcome replay, Coordination.Audit audit, String platformFailure) {

    private static final List<String> SERVICES = List.of("gateway", "command-service", "query-service");

    /** Every fault recovered from, nothing lost or applied twice, every balance within bounds, the audit clean. */
    public boolean ok() {
        return chaos.stream().allMatch(Chaos.Event::recovered) && platformFailure == null && ledger.clean()
                && reconciliation.ok() && (replay == null || replay.ok()) && audit.clean();
    }

    public long killsSurvived() {
        return chaos.stream().filter(event -> event.isKill() && event.recovered()).count();
    }

    /** The longest outage of {@code service}, if it had one. */
    public Optional<Availability.Outage> longestOutage(String service) {
        return outages.stream().filter(outage -> outage.service().equals(service))
                .max(Comparator.comparingDouble(Availability.Outage::seconds));
    }

    public long lostRequests() {
        return ledger.lost();
    }

    public long appliedTwice() {
        return ledger.twice();
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", runId);
        json.put("ok", ok());
        json.put("options", Map.of("players", options.players(), "durationSeconds", options.duration().toSeconds(),
                "instances", options.instances(), "chaos", options.chaos(), "arrivalRate", options.arrivalRate(),
                "playLength", options.playLength().toString(), "cycleSeconds", options.cycle().toSeconds(),
                "topUp", options.topUp(), "pricePerMinute", options.pricePerMinute(), "seed", options.seed()));
        json.put("seconds", seconds);
        json.put("players", Map.of("arrived", players, "played", played));
        json.put("chaos", chaos);
        json.put("killsSurvived", killsSurvived());
        json.put("platformFailure", platformFailure);
        Map<String, Object> longest = new LinkedHashMap<>();
        for (String service : SERVICES) {
            longest.put(service, longestOutage(service).orElse(null));
        }
        json.put("longestOutage", longest);
        json.put("outages", outages);
        json.put("refusalCount", refusalCount);
        json.put("refusals", refusals);
        json.put("lostRequests", ledger.lost());
        json.put("appliedTwice", ledger.twice());
        json.put("ledgerCheck", ledger);
        json.put("reconciliation", Map.of("ok", reconciliation.ok(), "players", reconciliation.players(),
                "played", reconciliation.played(), "totalCharged", reconciliation.totalCharged(),
                "failures", reconciliation.failures()));
        json.put("replay", replay);
        Map<String, Object> auditJson = new LinkedHashMap<>();
        auditJson.put("outcome", audit.outcome());
        auditJson.put("clean", audit.clean());
        auditJson.put("report", audit.report());
        json.put("audit", auditJson);
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), json);
    }

    void printText(PrintStream out, Path jsonFile) {
        out.println();
        out.printf(Locale.ROOT, "Soak %s: %s. %d players (%d played), %d instance(s) of each service, %.0f s%n",
                runId, ok() ? "PASSED" : "FAILED", players, played, options.instances(), seconds);
        out.println("  faults:");
        for (Chaos.Event event : chaos) {
            out.printf(Locale.ROOT, "    [%4.0f s] %-8s %-16s %s%n", event.atSeconds(), event.action(),
                    event.target(), event.recovered() ? String.format(Locale.ROOT,
                            "every instance ready again after %.1f s", event.recoveredAfterSeconds())
                            : "NOT RECOVERED: " + event.problem());
        }
        out.printf("  kills survived: %d of %d%n", killsSurvived(), chaos.stream().filter(Chaos.Event::isKill)
                .count());
        if (platformFailure != null) {
            out.println("  platform gave up: " + platformFailure);
        }
        out.println("  longest unavailability (first failed call to the first success after):");
        for (String service : SERVICES) {
            out.println("    " + String.format("%-16s", service) + longestOutage(service).map(outage -> String.format(
                    Locale.ROOT, "%.1f s (%s, from %.0f s%s)", outage.seconds(), outage.where(),
                    outage.fromSeconds(), outage.ended() ? "" : ", still down at the end")).orElse("none"));
        }
        out.printf("  refused calls (4xx other than 402): %d%n", refusalCount);
        refusals.stream().limit(10).forEach(refusal -> out.printf(Locale.ROOT, "    [%4.0f s] %s %s: %d %s%n",
                refusal.atSeconds(), refusal.userId(), refusal.call(), refusal.status(), refusal.body()));
        out.printf("  lost requests (accepted, not in the ledger): %d of %d accepted calls%n", ledger.lost(),
                ledger.accepted());
        ledger.lostListed().forEach(finding -> out.println("    " + finding.userId() + ": " + finding.what()));
        out.printf("  applied twice (double charges, deposits, starts, ends): %d%n", ledger.twice());
        ledger.twiceListed().forEach(finding -> out.println("    " + finding.userId() + ": " + finding.what()));
        out.printf("  reconciliation: %s (%d of %d players within the under-billing bound)%n",
                reconciliation.ok() ? "OK" : "FAILED", reconciliation.players() - reconciliation.failures().size(),
                reconciliation.players());
        if (replay != null) {
            out.println("  replay asked of every instance at once: " + (replay.ok() ? "one ran, the others reported it"
                    : replay.problem()) + " " + replay.started());
        }
        JsonNode report = audit.report();
        out.println("  audit: " + (audit.clean() ? "clean" : "NOT CLEAN") + (report == null ? " ("
                + audit.outcome().problem() + ")" : String.format(Locale.ROOT, " (%d accounts, %d store events, %d "
                        + "topic records, %d findings)", report.path("accountsChecked").asLong(),
                report.path("storeEvents").asLong(), report.path("topicRecords").asLong(),
                report.path("findingCount").asLong())) + (options.instances() > 1 && audit.outcome().ok()
                ? "; asked of every instance at once, one ran it and the others reported it" : ""));
        if (audit.outcome().problem() != null && report != null) {
            out.println("    " + audit.outcome().problem());
        }
        out.println("Report: " + jsonFile.toAbsolutePath());
    }
}
