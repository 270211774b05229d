package io.playbill.infra.standalone;

import io.playbill.infra.standalone.watchdog.WatchdogJar;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A launcher in miniature, for {@link LauncherWatchdogTest} to kill: starts one {@link IdleService} the way the
 * platform starts a service ({@link ServiceProcess}, with the watchdog agent), prints its process id, and waits.
 */
public final class LauncherStandIn {

    private LauncherStandIn() {
    }

    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]);
        ServiceProcess child = ServiceProcess.start("idle", IdleServiceJar.writeTo(run), 0, Map.of(), List.of(),
                WatchdogJar.writeTo(run), run);
        System.out.println(child.pid());
        System.out.flush();
        child.exited().join();
    }
}
