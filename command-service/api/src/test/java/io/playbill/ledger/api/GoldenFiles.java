package io.playbill.ledger.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The golden JSON files under {@code src/test/resources}: what was written and must keep reading. */
final class GoldenFiles {

    private GoldenFiles() {
    }

    static byte[] read(String path) {
        try (InputStream in = GoldenFiles.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("No golden file " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
