package io.playbill.infra.standalone;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Finds the services' executable jars in a built checkout. */
final class ServiceJars {

    private static final Map<String, String> MODULES = Map.of(
            "command-service", "command-service/app",
            "query-service", "query-service",
            "gateway", "gateway");

    static Map<String, Path> locate(Path home) throws IOException {
        Map<String, Path> jars = new LinkedHashMap<>();
        for (var module : MODULES.entrySet()) {
            Path target = home.resolve(module.getValue()).resolve("target");
            Path jar = null;
            if (Files.isDirectory(target)) {
                try (DirectoryStream<Path> found = Files.newDirectoryStream(target, module.getKey() + "-*-exec.jar")) {
                    for (Path candidate : found) {
                        jar = candidate;
                    }
                }
            }
            if (jar == null) {
                throw new IllegalStateException("No executable jar for " + module.getKey() + " under " + target
                        + ": build first (./playbill up builds when needed, or run mvn -DskipTests package)");
            }
            jars.put(module.getKey(), jar);
        }
        return jars;
    }

    private ServiceJars() {
    }
}
