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

/** Writes an executable jar of {@link IdleService}, named like a service's ({@code *-exec.jar}). */
final class IdleServiceJar {

    private IdleServiceJar() {
    }

    static Path writeTo(Path dir) throws IOException {
        String classFile = IdleService.class.getName().replace('.', '/') + ".class";
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, IdleService.class.getName());
        Path jar = dir.resolve("idle-service-exec.jar");
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream main = IdleService.class.getClassLoader().getResourceAsStream(classFile)) {
            out.putNextEntry(new JarEntry(classFile));
            main.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
