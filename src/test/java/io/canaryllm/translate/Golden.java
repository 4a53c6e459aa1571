package io.canaryllm.translate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: read fixtures, and replace generated ids and timestamps so outputs compare exactly. */
final class Golden {
    static final Path ROOT = Path.of("src/test/resources/golden");
    static final Path CLIENTS = Path.of("src/test/resources/fixtures/clients");

    private Golden() {}

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, String text) {
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String normalize(String s) {
        return s.replaceAll("msg_01[A-Za-z0-9]{22}", "msg_GENERATED")
                .replaceAll("chatcmpl-[A-Za-z0-9]{29}", "chatcmpl-GENERATED")
                .replaceAll("\"created\"\\s*:\\s*\\d+", "\"created\":0");
    }
}
