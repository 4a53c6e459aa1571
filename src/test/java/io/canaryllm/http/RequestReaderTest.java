package io.canaryllm.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestReaderTest {
    @Test
    void rewritesOnlyTheModelAndKeepsEveryOtherByte() {
        String body = "{ \"messages\" : [{\"role\":\"user\",\"content\":\"héllo \\\"model\\\" ✓\"}],\n"
                + "  \"model\":\"openai/gpt-4.1\", \"x_future\": {\"a\":[1,2]}, \"stream\": true }";
        RequestReader.ChatRequest r = RequestReader.read(body.getBytes(StandardCharsets.UTF_8));
        assertEquals("openai/gpt-4.1", r.model());
        assertTrue(r.stream());
        String out = new String(r.withModel("gpt-4.1"), StandardCharsets.UTF_8);
        assertEquals(body.replace("\"openai/gpt-4.1\"", "\"gpt-4.1\""), out);
    }

    @Test
    void escapesTheUpstreamName() {
        var r = RequestReader.read("{\"model\":\"a/b\",\"messages\":[{\"role\":\"user\"}]}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"model\":\"we\\\"ird\",\"messages\":[{\"role\":\"user\"}]}", new String(r.withModel("we\"ird"), StandardCharsets.UTF_8));
        assertFalse(r.stream());
    }

    @Test
    void refusesTrailingContentAndEmptyMessages() {
        assertThrows(GatewayError.class, () -> RequestReader.read("{\"model\":\"a/b\",\"messages\":[{\"role\":\"user\"}]} {}".getBytes()));
        GatewayError e = assertThrows(GatewayError.class, () -> RequestReader.read("{\"model\":\"a/b\",\"messages\":[]}".getBytes()));
        assertEquals("messages", e.param());
    }
}
