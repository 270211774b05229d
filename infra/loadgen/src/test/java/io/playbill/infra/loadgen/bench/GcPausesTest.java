package io.playbill.infra.loadgen.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GcPausesTest {

    /** The serial collector's pauses as Micrometer exposes them, with the concurrent-phase timer beside them. */
    private static final String BEFORE = """
            # HELP jvm_gc_pause_seconds Time spent in GC pause
            # TYPE jvm_gc_pause_seconds summary
            jvm_gc_pause_seconds_count{action="end of minor GC",application="gateway",cause="Allocation Failure",gc="Copy"} 40
            jvm_gc_pause_seconds_sum{action="end of minor GC",application="gateway",cause="Allocation Failure",gc="Copy"} 0.2
            jvm_gc_pause_seconds_count{action="end of major GC",application="gateway",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 3
            jvm_gc_pause_seconds_sum{action="end of major GC",application="gateway",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 0.25
            # TYPE jvm_gc_pause_seconds_max gauge
            jvm_gc_pause_seconds_max{action="end of minor GC",application="gateway",cause="Allocation Failure",gc="Copy"} 0.01
            # TYPE jvm_gc_concurrent_phase_time_seconds summary
            jvm_gc_concurrent_phase_time_seconds_count{action="end of concurrent GC pause",application="gateway",cause="No GC",gc="G1 Conc"} 7
            jvm_gc_concurrent_phase_time_seconds_sum{action="end of concurrent GC pause",application="gateway",cause="No GC",gc="G1 Conc"} 9.5
            """;

    @Test
    void sumsEveryPauseAndTellsTheFullOnesApartButNotTheConcurrentPhases() {
        assertThat(GcPauses.parse(BEFORE)).isEqualTo(new GcPauses(43, 0.45, 3, 0.25));
    }

    @Test
    void theRampsPausesAreTheDifferenceOfTwoReadings() {
        GcPauses ramp = new GcPauses(140, 1.2, 4, 0.4).since(new GcPauses(40, 0.2, 3, 0.25));

        assertThat(ramp.describe()).isEqualTo("100 pauses, 1000 ms in all; 1 of them full, 150 ms in all");
    }

    @Test
    void aServiceWithoutTheTimerPausedNever() {
        assertThat(GcPauses.parse("# nothing here\n")).isEqualTo(new GcPauses(0, 0, 0, 0));
    }

    @Test
    void aStepsPausesAreTakenPerServiceAndOnlyForServicesReadBothTimes() {
        Map<String, GcPauses> before = new LinkedHashMap<>();
        before.put("command-service", new GcPauses(10, 0.1, 1, 0.05));
        before.put("gateway", new GcPauses(5, 0.02, 0, 0));
        before.put("query-service", new GcPauses(2, 0.01, 0, 0));
        Map<String, GcPauses> after = new LinkedHashMap<>();
        after.put("command-service", new GcPauses(14, 0.31, 2, 0.22));
        after.put("gateway", new GcPauses(8, 0.032, 0, 0));

        Map<String, GcPauses> step = GcPauses.between(before, after);

        assertThat(step).containsOnlyKeys("command-service", "gateway");
        assertThat(GcPauses.brief(step)).isEqualTo("command-service 210 ms (1 full) / gateway 12 ms");
    }
}
