package io.playbill.infra.loadgen.bench;

import io.playbill.infra.loadgen.soak.ChaosSoakOnThePlatformTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench JVM's CPU, split between the broker's threads and the rest of the process. It measures this whole JVM,
 * so it never runs beside the chaos soak, whose players run in it too (docs/decisions/052).
 */
@ResourceLock(ChaosSoakOnThePlatformTest.THIS_JVMS_CPU)
class ProcessCpuTest {

    @TempDir
    Path data;

    @Test
    void cpuSpentOnABrokerThreadCountsForTheBrokerAndNotForTheRestOfTheBenchJvm() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch sampledAgain = new CountDownLatch(1);
        // Alive at both samples, as the broker's threads are: a thread's CPU time is readable only while it runs.
        Thread broker = new Thread(() -> {
            started.countDown();
            awaitQuietly(measured);
            spin(600);
            done.countDown();
            awaitQuietly(sampledAgain);
        }, "pretend-broker");
        ProcessCpu cpu = new ProcessCpu(data, () -> List.of(broker));
        broker.start();
        started.await();
        ProcessCpu.Sample before = cpu.sample();
        measured.countDown();
        done.await();

        Map<String, Double> seconds = ProcessCpu.secondsBetween(before, cpu.sample());
        sampledAgain.countDown();
        broker.join();

        assertThat(seconds.get(ProcessCpu.BROKER)).isBetween(0.5, 1.5);
        // The rest of the JVM did next to nothing meanwhile (the test thread waited): the broker's spin is not in it.
        assertThat(seconds.get(ProcessCpu.BENCH_JVM_REST)).isLessThan(0.3);
    }

    @Test
    void withoutBrokerThreadsTheWholeProcessIsTheRestOfTheBenchJvm() throws Exception {
        ProcessCpu cpu = new ProcessCpu(data, List::of);
        ProcessCpu.Sample before = cpu.sample();
        spin(300);

        Map<String, Double> seconds = ProcessCpu.secondsBetween(before, cpu.sample());

        assertThat(seconds.get(ProcessCpu.BROKER)).isZero();
        assertThat(seconds.get(ProcessCpu.BENCH_JVM_REST)).isGreaterThanOrEqualTo(0.2);
    }

    /** Keeps this thread on a core for about {@code millis} of its own CPU time. */
    private static void spin(long millis) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        while (threads.getCurrentThreadCpuTime() < until) {
            Thread.onSpinWait();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
