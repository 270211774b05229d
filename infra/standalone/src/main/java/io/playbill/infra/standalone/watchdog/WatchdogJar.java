package io.playbill.infra.standalone.watchdog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes the agent jar of {@link LauncherWatchdog} for the service JVMs to load. It is made from the launcher's own
 * copy of the class at each start, so it always matches the launcher and needs no build step of its own (the tests
 * run the launcher from classes, before any jar of this module exists).
 */
public final class WatchdogJar {

    private static final String CLASS_FILE = LauncherWatchdog.class.getName().replace('.', '/') + ".class";

    private WatchdogJar() {
    }

    /** Writes {@code dir/playbill-watchdog.jar} and returns its path. */
    public static Path writeTo(Path dir) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), LauncherWatchdog.class.getName());
        Path jar = dir.resolve("playbill-watchdog.jar");
        Path partial = Files.createTempFile(dir, "playbill-watchdog", ".tmp");
        try (OutputStream file = Files.newOutputStream(partial);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream agent = LauncherWatchdog.class.getClassLoader().getResourceAsStream(CLASS_FILE)) {
            if (agent == null) {
                throw new IOException("The launcher's class path has no " + CLASS_FILE);
            }
            out.putNextEntry(new JarEntry(CLASS_FILE));
            agent.transferTo(out);
            out.closeEntry();
        }
        // A new file replaces the old one: a service JVM still running from an earlier start keeps reading its own.
        return Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
