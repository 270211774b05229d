package io.playbill.infra.standalone;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supervisor with real processes (a JVM given an unknown option exits at once with code 1, a crash; {@link
 * IdleService} runs on): the restart loop, its report, its budget, and the exits it must leave alone.
 */
class ServiceSupervisorTest {

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final RestartPolicy QUICK = new RestartPolicy(3, Duration.ofMinutes(1), Duration.ofMillis(10));

    private final List<String> console = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final AtomicReference<Launched> current = new AtomicReference<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final ServiceSupervisor<Launched> supervisor = new ServiceSupervisor<>(QUICK, Duration.ofSeconds(30),
            console::add, (crashed, restarted) -> current.set(restarted), Clock.systemUTC());

    @AfterEach
    void stop() {
        supervisor.stop();
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void restartsACrashedServiceAndReportsIt() throws Exception {
        Launched service = launch(false);
        supervisor.watch(service);
        Thread.sleep(200);

        service.kill();

        await().atMost(Duration.ofSeconds(20)).until(() -> console.contains("svc is up again"));
        assertThat(console.get(0)).isEqualTo("svc exited with code 137; restarting in 10 ms (attempt 1 of 3)");
        assertThat(current.get()).isNotSameAs(service);
        assertThat(current.get().isAlive()).isTrue();
        assertThat(supervisor.failure()).isNotDone();
    }

    @Test
    void givesUpWhenAServiceKeepsCrashing() {
        supervisor.watch(launch(true));

        String reason = supervisor.failure().orTimeout(60, TimeUnit.SECONDS).join();

        assertThat(reason).isEqualTo("svc exited with code 1 after 3 restarts within 1 min; not restarting it again");
        assertThat(starts).as("the first start and three restarts").hasValue(4);
        assertThat(console).containsExactly(
                "svc exited with code 1; restarting in 10 ms (attempt 1 of 3)",
                "svc exited with code 1; restarting in 20 ms (attempt 2 of 3)",
                "svc exited with code 1; restarting in 40 ms (attempt 3 of 3)",
                reason);
    }

    @Test
    void leavesAReleasedServiceAndEverythingAfterStopAlone() throws Exception {
        Launched released = launch(false);
        Launched other = launch(false);
        supervisor.watch(released);
        supervisor.watch(other);

        supervisor.release(released);
        released.kill();
        Thread.sleep(1500);
        assertThat(starts).as("a released service is not restarted").hasValue(2);

        supervisor.stop();
        other.kill();
        Thread.sleep(1500);
        assertThat(starts).as("nothing is restarted once stopped").hasValue(2);
        assertThat(console).isEmpty();
    }

    private Launched launch(boolean crashing) {
        starts.incrementAndGet();
        try {
            List<String> command = crashing ? List.of(JAVA, "-XX:+PlaybillNoSuchOption")
                    : List.of(JAVA, "-cp", System.getProperty("java.class.path"), IdleService.class.getName());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(process);
            Launched launched = new Launched(process, crashing);
            current.set(launched);
            return launched;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A real process as the supervisor sees a service; healthy once it has run for a moment. */
    private final class Launched implements ServiceSupervisor.Service<Launched> {
        private final Process process;
        private final boolean crashing;

        Launched(Process process, boolean crashing) {
            this.process = process;
            this.crashing = crashing;
        }

        @Override
        public String name() {
            return "svc";
        }

        @Override
        public CompletableFuture<Integer> exited() {
            return process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public Launched startAgain() {
            return launch(crashing);
        }

        @Override
        public void awaitLive(Duration timeout) throws InterruptedException {
            if (process.waitFor(300, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("exited during start-up");
            }
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }
    }
}
