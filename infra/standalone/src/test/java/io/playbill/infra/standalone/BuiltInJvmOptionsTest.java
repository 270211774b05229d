package io.playbill.infra.standalone;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services' built-in JVM options, started on the JDK that runs the tests. The platform tests replace them
 * through {@code PLAYBILL_SERVICE_JAVA_OPTS}, so without this a flag that a JDK dropped would first fail in
 * {@code ./playbill up}.
 */
class BuiltInJvmOptionsTest {

    private static final String SCALING = "-XX:CompileThresholdScaling=";

    @Test
    void theRunningJdkStartsWithEveryBuiltInOption() throws Exception {
        Run run = java(PlatformConfig.BUILT_IN_JVM_OPTIONS);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain("Unrecognized VM option").doesNotContainIgnoringCase("VM warning");
    }

    @Test
    void theScalingLowersTheCallsBeforeC1Compiles() throws Exception {
        List<String> unscaled = PlatformConfig.BUILT_IN_JVM_OPTIONS.stream()
                .filter(option -> !option.startsWith(SCALING)).toList();
        assertThat(unscaled).as("the built-in options scale the thresholds")
                .hasSize(PlatformConfig.BUILT_IN_JVM_OPTIONS.size() - 1);

        long scaled = tier3InvocationThreshold(java(PlatformConfig.BUILT_IN_JVM_OPTIONS));
        long usual = tier3InvocationThreshold(java(unscaled));

        assertThat(scaled).isPositive().isLessThan(usual);
    }

    private static long tier3InvocationThreshold(Run run) {
        Matcher flag = Pattern.compile("\\bTier3InvocationThreshold\\s+=\\s+(\\d+)").matcher(run.output());
        assertThat(flag.find()).as(run.output()).isTrue();
        return Long.parseLong(flag.group(1));
    }

    private static Run java(List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(options);
        command.add("-XX:+PrintFlagsFinal");
        command.add("-version");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        return new Run(process.waitFor(), output);
    }

    private record Run(int exitCode, String output) {
    }
}
