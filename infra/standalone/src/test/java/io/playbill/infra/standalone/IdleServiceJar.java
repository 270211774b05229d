package io.playbill.infra.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes an executable jar of {@link IdleService} (or another stand-in of one class), named like a service's
 * ({@code *-exec.jar}).
 */
final class IdleServiceJar {

    private IdleServiceJar() {
    }

    static Path writeTo(Path dir) throws IOException {
        return writeTo(dir, IdleService.class, "idle-service-exec.jar");
    }

    /** A jar whose main class is {@code main}, a class without nested classes. */
    static Path writeTo(Path dir, Class<?> main, String name) throws IOException {
        String classFile = main.getName().replace('.', '/') + ".class";
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream mainClass = main.getClassLoader().getResourceAsStream(classFile)) {
            out.putNextEntry(new JarEntry(classFile));
            mainClass.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
