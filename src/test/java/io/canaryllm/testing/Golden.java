package io.canaryllm.testing;

import io.canaryllm.core.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test helpers: read fixtures, compare outputs with expected (golden) files, and replace generated ids and timestamps
 * so outputs compare exactly. A missing expected file fails the test: only {@code -Dgolden.update=true} writes one,
 * so a golden test can never pass by writing down whatever the code produces today.
 */
public final class Golden {
    public static final Path ROOT = Path.of("src/test/resources/golden");
    public static final Path CLIENTS = Path.of("src/test/resources/fixtures/clients");

    private Golden() {}

    public static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path p, String text) {
        try {
            if (p.getParent() != null) Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code -Dgolden.update=true} rewrites the expected files from what the code produces now. */
    public static final boolean UPDATE = Boolean.getBoolean("golden.update");

    /** The produced JSON (already normalized text) equals the expected file, as JSON; rewritten in update mode. */
    public static void compareJson(Path expected, String pretty) {
        if (UPDATE) write(expected, pretty);
        else requireExpected(expected);
        try {
            assertEquals(Json.MAPPER.readTree(read(expected)), Json.MAPPER.readTree(pretty), expected.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The produced text equals the expected file exactly; rewritten in update mode. */
    public static void compareText(Path expected, String actual) {
        if (UPDATE) write(expected, actual);
        else requireExpected(expected);
        assertEquals(read(expected), actual, expected.toString());
    }

    /** Fails when the expected file is missing (a new golden is created on purpose, then reviewed, never by accident). */
    public static void requireExpected(Path expected) {
        if (!Files.exists(expected)) {
            fail("golden file " + expected + " is missing: create it with"
                    + " mvn -B test -Dgolden.update=true -Dtest=<this test class>, then review and commit it");
        }
    }

    public static String normalize(String s) {
        return s.replaceAll("msg_01[A-Za-z0-9]{22}", "msg_GENERATED")
                .replaceAll("chatcmpl-[A-Za-z0-9]{29}", "chatcmpl-GENERATED")
                .replaceAll("\"created\"\\s*:\\s*\\d+", "\"created\":0");
    }
}
