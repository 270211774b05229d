package io.playbill.infra.loadgen.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.playbill.infra.loadgen.client.Call;
import io.playbill.infra.loadgen.client.CallMetrics;
import io.playbill.infra.loadgen.metrics.LatencyRecorder;
import io.playbill.infra.loadgen.metrics.LatencySummary;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The final report of a simulation: the same facts as JSON (for machines) and as text (for people). */
final class SimulationReport {

    private static final int FAILURES_SHOWN = 20;
    private static final long WALL_CLOCK_STEP_SHOWN_MILLIS = 100;

    private final String runId;
    private final SimulateOptions options;
    private final Duration took;
    private final long wallClockAheadMillis;
    private final List<PlayerOutcome> players;
    private final CallMetrics metrics;
    private final Reconciliation.Result reconciliation;

    SimulationReport(String runId, SimulateOptions options, Simulation.Played played, CallMetrics metrics,
                     Reconciliation.Result reconciliation) {
        this.runId = runId;
        this.options = options;
        this.took = played.took();
        this.wallClockAheadMillis = played.wallClockAheadMillis();
        this.players = played.outcomes();
        this.metrics = metrics;
        this.reconciliation = reconciliation;
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", runId);
        json.put("options", optionsJson());
        json.put("seconds", took.toMillis() / 1000.0);
        json.put("wallClockAheadMillis", wallClockAheadMillis);
        json.put("players", Map.of("arrived", players.size(), "played",
                players.stream().filter(PlayerOutcome::played).count(), "endReasons", endReasons()));
        Map<String, Object> calls = new LinkedHashMap<>();
        for (Call call : Call.values()) {
            LatencyRecorder recorder = metrics.of(call);
            if (recorder.ok() + recorder.failed() > 0) {
                calls.put(call.name().toLowerCase(Locale.ROOT), Map.of("sent", recorder.ok() + recorder.failed(),
                        "ok", recorder.ok(), "failed", recorder.failed(), "failures", recorder.failureReasons(),
                        "latency", recorder.total()));
            }
        }
        json.put("calls", calls);
        json.put("retried503", metrics.retries());
        json.put("retried503ByCode", metrics.retriesByCode());
        json.put("retriedAfterTransportFailure", metrics.transportRetries());
        json.put("retriedAfterTransportFailureByReason", metrics.transportRetriesByReason());
        json.put("reconciliation", reconciliation);
        json.put("outcomes", players);
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), json);
    }

    void printText(PrintStream out, Path jsonFile) {
        out.println();
        out.printf(Locale.ROOT, "Simulation %s: %d players arrived, %d played, in %.1f s (mode %s, %d/min on %s, "
                        + "cycle %d s)%n", runId, players.size(), reconciliation.played(), took.toMillis() / 1000.0,
                options.mode().name().toLowerCase(Locale.ROOT), options.pricePerMinute(), options.queue(),
                options.cycle().toSeconds());
        out.printf("  %-11s %7s %7s %8s %8s %8s %8s  %s%n", "call", "sent", "ok", "p50 ms", "p90 ms", "p99 ms",
                "max ms", "failures");
        for (Call call : Call.values()) {
            LatencyRecorder recorder = metrics.of(call);
            if (recorder.ok() + recorder.failed() == 0) {
                continue;
            }
            LatencySummary latency = recorder.total();
            out.printf(Locale.ROOT, "  %-11s %7d %7d %8.1f %8.1f %8.1f %8.1f  %s%n",
                    call.name().toLowerCase(Locale.ROOT), recorder.ok() + recorder.failed(), recorder.ok(),
                    latency.p50Ms(), latency.p90Ms(), latency.p99Ms(), latency.maxMs(),
                    recorder.failureReasons().isEmpty() ? "-" : recorder.failureReasons());
        }
        out.println("  retried: " + metrics.retries() + " answers 503 (after Retry-After)"
                + (metrics.retries() > 0 ? " " + metrics.retriesByCode() : "") + ", "
                + metrics.transportRetries() + " timeouts or lost connections (after 1-8 s)"
                + (metrics.transportRetries() > 0 ? " " + metrics.transportRetriesByReason() : ""));
        out.println("  game ends: " + endReasons());
        if (Math.abs(wallClockAheadMillis) >= WALL_CLOCK_STEP_SHOWN_MILLIS) {
            out.println("  the host's wall clock moved " + wallClockAheadMillis + " ms against elapsed time during the"
                    + " run (stepped); the gateway bills by it, so each player's bounds cover both clocks");
        }
        out.printf("Reconciliation (%s-billing): %s — %d of %d players within bounds; charged %d in total, "
                        + "bounds %d..%d%n", options.mode().name().toLowerCase(Locale.ROOT),
                reconciliation.ok() ? "OK" : "FAILED", reconciliation.players() - reconciliation.failures().size(),
                reconciliation.players(), reconciliation.totalCharged(), reconciliation.totalLow(),
                reconciliation.totalHigh());
        if (reconciliation.played() == 0) {
            out.println("  no player received a renew token: nothing was billed, so nothing was reconciled");
        }
        reconciliation.failures().stream().limit(FAILURES_SHOWN)
                .forEach(f -> out.println("  " + f.userId() + ": " + f.problem()));
        if (reconciliation.failures().size() > FAILURES_SHOWN) {
            out.println("  ... " + (reconciliation.failures().size() - FAILURES_SHOWN) + " more in the JSON report");
        }
        out.println("Report: " + jsonFile.toAbsolutePath());
    }

    private Map<String, Object> optionsJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("gateways", options.gatewayUrls());
        json.put("players", options.players());
        json.put("arrivalRate", options.arrivalRate());
        json.put("playLength", options.playLength().toString());
        json.put("durationSeconds", options.duration().toSeconds());
        json.put("topUp", options.topUp());
        json.put("pricePerMinute", options.pricePerMinute());
        json.put("queue", options.queue());
        json.put("mode", options.mode().name().toLowerCase(Locale.ROOT));
        json.put("cycleSeconds", options.cycle().toSeconds());
        json.put("tokenFile", options.tokenFile() == null ? null : options.tokenFile().toString());
        json.put("seed", options.seed());
        return json;
    }

    /** How games ended, e.g. {@code {deadline=12, play-length=38}}; failures are grouped by their first words. */
    private Map<String, Long> endReasons() {
        Map<String, Long> reasons = new TreeMap<>();
        for (PlayerOutcome player : players) {
            String reason = player.endReason().isEmpty() ? "(none)" : player.endReason();
            int colon = reason.indexOf(':');
            reasons.merge(colon > 0 ? reason.substring(0, colon) : reason, 1L, Long::sum);
        }
        return reasons;
    }
}
