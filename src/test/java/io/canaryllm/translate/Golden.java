package io.canaryllm.translate;

import io.canaryllm.http.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /** {@code -Dgolden.update=true} rewrites the expected files from what the code produces now. */
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    /** The produced JSON (already normalized text) equals the expected file, as JSON; written when missing or updating. */
    static void compareJson(Path expected, String pretty) {
        if (UPDATE || !Files.exists(expected)) write(expected, pretty);
        try {
            assertEquals(Json.MAPPER.readTree(read(expected)), Json.MAPPER.readTree(pretty), expected.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The produced text equals the expected file exactly; written when missing or updating. */
    static void compareText(Path expected, String actual) {
        if (UPDATE || !Files.exists(expected)) write(expected, actual);
        assertEquals(read(expected), actual, expected.toString());
    }

    static String normalize(String s) {
        return s.replaceAll("msg_01[A-Za-z0-9]{22}", "msg_GENERATED")
                .replaceAll("chatcmpl-[A-Za-z0-9]{29}", "chatcmpl-GENERATED")
                .replaceAll("\"created\"\\s*:\\s*\\d+", "\"created\":0");
    }
}
