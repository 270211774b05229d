package io.playbill.infra.standalone.watchdog;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A Java agent each service JVM of {@code ./playbill up} runs with ({@code -javaagent:watchdog.jar=<launcher pid>}):
 * it stops the service when the launcher is gone, however the launcher died. A launcher killed with SIGKILL runs no
 * shutdown hook, so it cannot stop its children itself; and the services' own code is not touched, so the watch sits
 * in an agent, outside them.
 *
 * <p>Either of two signs suffices. The service's standard input is a pipe only the launcher holds: the kernel closes
 * it the moment the launcher's process ends, so a read returns end of file at once. And the launcher's process id
 * (the agent's argument) is watched, for a service whose standard input is not that pipe.
 *
 * <p>Loaded in the service JVMs, not in the launcher: this class must stay self-contained (JDK only, no nested or
 * anonymous classes), since {@link WatchdogJar} copies just this one class file into the agent jar.
 */
public final class LauncherWatchdog {

    /** How long the service may take to stop gracefully before it is halted (its broker died with the launcher). */
    private static final long GRACE_MILLIS = 5_000;
    private static final int EXIT_CODE = 1;

    private static volatile boolean stopping;

    private LauncherWatchdog() {
    }

    public static void premain(String launcherPid) {
        Optional<Long> pid = parsePid(launcherPid);
        Optional<ProcessHandle> launcher = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (pid.isPresent() && launcher.isEmpty()) {
            System.err.println("playbill watchdog: the launcher (pid " + pid.get() + ") is not running; "
                    + "not starting this service");
            System.exit(EXIT_CODE);
        }
        daemon("playbill-watchdog-stdin", () -> {
            awaitEndOfInput(System.in);
            launcherGone("the launcher's pipe closed");
        });
        launcher.ifPresent(l -> l.onExit().thenRun(() -> launcherGone("the launcher (pid " + l.pid() + ") exited")));
    }

    private static void awaitEndOfInput(InputStream in) {
        byte[] ignored = new byte[256];
        try {
            while (in.read(ignored) >= 0) {
                // The launcher never writes; anything that arrives is discarded.
            }
        } catch (IOException e) {
            // A broken pipe means the same as its end.
        }
    }

    /** A graceful stop (shutdown hooks: Spring closes its pools and consumers), halted if it takes too long. */
    private static synchronized void launcherGone(String why) {
        if (stopping) {
            return;
        }
        stopping = true;
        System.err.println("playbill watchdog: " + why + "; stopping this service");
        daemon("playbill-watchdog-halt", () -> {
            try {
                Thread.sleep(GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(EXIT_CODE);
        });
        daemon("playbill-watchdog-exit", () -> System.exit(EXIT_CODE));
    }

    private static Optional<Long> parsePid(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
