package io.playbill.infra.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a Docker engine is reachable, as Testcontainers would find it. Testcontainers' own probe tries several
 * strategies, each logging its failure loudly; unless containers are required, it is asked only when a sign of an
 * engine is present (DOCKER_HOST, a Testcontainers configuration file, or a Docker socket in one of its usual
 * places), so a machine without Docker (CI here) decides at once and in silence.
 */
final class DockerEngine {

    private static final String TESTCONTAINERS = "org.testcontainers.DockerClientFactory";

    private DockerEngine() {
    }

    /** Whether an engine is reachable, looked for only where one usually is: at once and in silence without one. */
    static boolean found() {
        return anySign() && reachable();
    }

    /** Whether Testcontainers reaches an engine, looking everywhere it knows (and logging each failed attempt). */
    static boolean reachable() {
        return testcontainersOnClassPath() && Containers.dockerAvailable();
    }

    private static boolean anySign() {
        if (!blank(System.getenv("DOCKER_HOST")) || !blank(System.getenv("TESTCONTAINERS_HOST_OVERRIDE"))) {
            return true;
        }
        String home = System.getProperty("user.home", "");
        List<Path> candidates = new ArrayList<>(List.of(
                Path.of(home, ".testcontainers.properties"),
                Path.of("/var/run/docker.sock"),
                Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock"),
                Path.of(home, ".colima", "default", "docker.sock"),
                Path.of(home, ".rd", "docker.sock")));
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (!blank(runtime)) {
            candidates.add(Path.of(runtime, "docker.sock"));
            candidates.add(Path.of(runtime, "podman", "podman.sock"));
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            candidates.add(Path.of("\\\\.\\pipe\\docker_engine"));
        }
        return candidates.stream().anyMatch(Files::exists);
    }

    private static boolean testcontainersOnClassPath() {
        try {
            Class.forName(TESTCONTAINERS, false, DockerEngine.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
