package io.playbill.infra.standalone;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One platform service running as a child JVM from its executable jar, logging to a file. The JVM runs with the
 * launcher's watchdog agent ({@link io.playbill.infra.standalone.watchdog.LauncherWatchdog}) and its standard input
 * is a pipe from the launcher, so it stops by itself when the launcher is gone, however the launcher died.
 */
final class ServiceProcess implements ServiceSupervisor.Service<ServiceProcess> {

    /** The ledger's health status while items are parked for an operator (still HTTP 200, still serving). */
    private static final String DEGRADED = "DEGRADED";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String host;
    private final int port;
    private final Path log;
    /** Holds the write end of the child's standard input: it stays open as long as this object lives. */
    private final Process process;
    private final Relaunch relaunch;

    private ServiceProcess(String name, String host, int port, Path log, Process process, Relaunch relaunch) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.log = log;
        this.process = process;
        this.relaunch = relaunch;
    }

    /** How to start the same service again. */
    @FunctionalInterface
    private interface Relaunch {
        ServiceProcess start() throws IOException;
    }

    /**
     * Starts {@code jar} in a child JVM; {@code watchdogAgent} is the jar {@link
     * io.playbill.infra.standalone.watchdog.WatchdogJar} wrote, told this launcher's process id.
     */
    static ServiceProcess start(String name, Path jar, int port, Map<String, String> environment,
                                List<String> jvmOptions, Path watchdogAgent, Path runDir) throws IOException {
        Path log = runDir.resolve("logs").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-javaagent:" + watchdogAgent + "=" + ProcessHandle.current().pid());
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        Process process = builder.start();
        Files.writeString(runDir.resolve(name + ".pid"), String.valueOf(process.pid()));
        return new ServiceProcess(name, reachableHost(environment.get("SERVER_ADDRESS")), port, log, process,
                () -> start(name, jar, port, environment, jvmOptions, watchdogAgent, runDir));
    }

    /** The same service started again with the same settings (after {@link #stop} or {@link #kill}). */
    @Override
    public ServiceProcess startAgain() throws IOException {
        return relaunch.start();
    }

    /** SIGKILL: the process gets no chance to finish anything, like a machine losing power. */
    @Override
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Waits for {@code /actuator/health} to answer UP: the service and everything it needs (its database, the broker)
     * are up. DEGRADED counts too: the service serves, and only an operator can clear its parked items, which needs
     * the platform up (a crash mid-publication once left one behind, and every later start then failed). Fails with
     * the log's tail if the process dies.
     */
    void awaitHealthy(Duration timeout) throws InterruptedException {
        String status = await("/actuator/health", "healthy", timeout, "UP", DEGRADED);
        if (status.equals(DEGRADED)) {
            System.out.println(name + " is up with items parked for an operator: see docs/operations.md,"
                    + " \"Parked items\".");
        }
    }

    /**
     * Waits for the liveness probe to answer UP: the service runs, whether or not its database and the broker are
     * there. An outage of those is no reason to restart it.
     */
    @Override
    public void awaitLive(Duration timeout) throws InterruptedException {
        await("/actuator/health/liveness", "live", timeout, "UP");
    }

    /** Waits until {@code path} answers 200 with one of {@code statuses}, and returns that status. */
    private String await(String path, String what, Duration timeout, String... statuses)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up (exit code " + process.exitValue()
                        + "). Last lines of " + log + ":\n" + tail(40));
            }
            try {
                HttpResponse<String> response = HTTP.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    for (String status : statuses) {
                        if (response.body().contains("\"status\":\"" + status + "\"")) {
                            return status;
                        }
                    }
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not become " + what + " within " + timeout.toSeconds()
                + " s. Last lines of " + log + ":\n" + tail(40));
    }

    /** SIGTERM (graceful Spring shutdown), then a hard kill if it takes too long. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        // Through the handle: Process.destroy() would also close the child's input, which its watchdog takes for the
        // launcher's death, and it would then cut the graceful shutdown short.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** Where this launcher reaches the service: its health checks, the dev seed and the printed addresses. */
    String url() {
        return "http://" + host + ":" + port;
    }

    /**
     * The host to reach a service bound to {@code serverAddress} ({@code SERVER_ADDRESS}) on: loopback when it listens
     * there or on every address, else that very address (a service bound to one interface's address does not answer
     * on loopback).
     */
    static String reachableHost(String serverAddress) {
        if (serverAddress == null || serverAddress.isBlank()) {
            return "127.0.0.1";
        }
        String address = serverAddress.trim();
        if (address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")) {
            return "127.0.0.1";
        }
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    Path log() {
        return log;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public CompletableFuture<Integer> exited() {
        return process.onExit().thenApply(Process::exitValue);
    }

    long pid() {
        return process.pid();
    }

    private String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
