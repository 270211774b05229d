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

    /**
     * The supervisor handles exits one at a time, in the order it noted them: the released service's exit is noted
     * first, so by the time the control killed after it is up again, the released one would have been restarted too.
     */
    @Test
    void leavesAReleasedServiceAlone() throws Exception {
        Launched released = launch("released", false);
        Launched control = launch("control", false);
        supervisor.watch(released);
        supervisor.watch(control);

        supervisor.release(released);
        released.kill();
        released.exit.awaitNoted();
        control.kill();

        await().atMost(Duration.ofSeconds(20)).until(() -> console.contains("control is up again"));
        assertThat(console).as("only the control was restarted").containsExactly(
                "control exited with code 137; restarting in 10 ms (attempt 1 of 3)", "control is up again");
        assertThat(starts).as("two first starts and the control's restart").hasValue(3);
    }

    /**
     * After stop() nothing is restarted. A stopped supervisor says nothing, so a live one with the same policy is
     * the control: its service is killed after the stopped one's exit was noted, so once it is up again, the
     * stopped one's service would have been restarted (its restart is due 300 ms before: the control's start-up).
     */
    @Test
    void restartsNothingOnceStopped() throws Exception {
        List<String> liveConsole = new CopyOnWriteArrayList<>();
        ServiceSupervisor<Launched> live = new ServiceSupervisor<>(QUICK, Duration.ofSeconds(30), liveConsole::add,
                (crashed, restarted) -> { }, Clock.systemUTC());
        try {
            Launched stopped = launch("stopped", false);
            Launched control = launch("control", false);
            supervisor.watch(stopped);
            live.watch(control);

            supervisor.stop();
            stopped.kill();
            stopped.exit.awaitNoted();
            control.kill();

            await().atMost(Duration.ofSeconds(20)).until(() -> liveConsole.contains("control is up again"));
            assertThat(console).as("the stopped supervisor said nothing").isEmpty();
            assertThat(starts).as("two first starts and the control's restart").hasValue(3);
        } finally {
            live.stop();
        }
    }

    private Launched launch(boolean crashing) {
        return launch("svc", crashing);
    }

    private Launched launch(String name, boolean crashing) {
        starts.incrementAndGet();
        try {
            List<String> command = crashing ? List.of(JAVA, "-XX:+PlaybillNoSuchOption")
                    : List.of(JAVA, "-cp", System.getProperty("java.class.path"), IdleService.class.getName());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(process);
            Launched launched = new Launched(name, process, crashing);
            current.set(launched);
            return launched;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A process's exit, which knows the stages the supervisor chained to it: once they have run, the supervisor has
     * noted the exit (and queued its handling, if it handles it at all).
     */
    private static final class Exit extends CompletableFuture<Integer> {
        private final List<CompletableFuture<?>> chained = new CopyOnWriteArrayList<>();

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            CompletableFuture<U> stage = new CompletableFuture<>();
            chained.add(stage);
            return stage;
        }

        void awaitNoted() {
            join();
            assertThat(chained).as("the supervisor chained its handling to the exit").isNotEmpty();
            chained.forEach(stage -> stage.handle((value, failure) -> null).join());
        }
    }

    /** A real process as the supervisor sees a service; healthy once it has run for a moment. */
    private final class Launched implements ServiceSupervisor.Service<Launched> {
        private final String name;
        private final Process process;
        private final boolean crashing;
        private final Exit exit = new Exit();

        Launched(String name, Process process, boolean crashing) {
            this.name = name;
            this.process = process;
            this.crashing = crashing;
            process.onExit().thenAccept(ended -> exit.complete(ended.exitValue()));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public CompletableFuture<Integer> exited() {
            return exit;
        }

        @Override
        public Launched startAgain() {
            return launch(name, crashing);
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
