package io.canaryllm.validate;

import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
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
        var r = RequestReader.read("{\"model\":\"a/b\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"model\":\"we\\\"ird\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}", new String(r.withModel("we\"ird"), StandardCharsets.UTF_8));
        assertFalse(r.stream());
    }

    @Test
    void refusesTrailingContentAndEmptyMessages() {
        assertThrows(GatewayError.class, () -> RequestReader.read("{\"model\":\"a/b\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}]} {}".getBytes()));
        GatewayError e = assertThrows(GatewayError.class, () -> RequestReader.read("{\"model\":\"a/b\",\"messages\":[]}".getBytes()));
        assertEquals("messages", e.param());
    }

    @Test
    void aStringOverJacksonsLimitIsARequestError() {
        // skipped values are not decoded: a body big enough to hold one is read string by string
        int limit = Json.FACTORY.streamReadConstraints().getMaxStringLength();
        byte[] body = ("{\"model\":\"a/b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"x\":\""
                + "x".repeat(limit + 1) + "\"}").getBytes(StandardCharsets.US_ASCII);
        GatewayError e = assertThrows(GatewayError.class, () -> RequestReader.read(body));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("limits"), e.getMessage());
    }

    @Test
    void namesTheFieldInEachProtocol() {
        GatewayError e = assertThrows(GatewayError.class, () -> RequestReader.read(
                "{\"model\":\"a/b\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\"},{\"text\":\"y\"}]}]}"
                        .getBytes(StandardCharsets.UTF_8), ClientProtocol.ANTHROPIC, false));
        assertEquals("messages[0].content[1].type", e.param());
        e = assertThrows(GatewayError.class, () -> RequestReader.read("{\"model\":\"a/b\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":\"r\"}]}"
                .getBytes(StandardCharsets.UTF_8), ClientProtocol.RESPONSES, false));
        assertEquals("input[0].call_id", e.param());
        // with stored state the call may be in an earlier turn
        RequestReader.read("{\"model\":\"a/b\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":\"r\"}],\"previous_response_id\":\"resp_1\"}"
                .getBytes(StandardCharsets.UTF_8), ClientProtocol.RESPONSES, false);
    }

    /** What Claude Code, Codex and pi really send (src/test/resources/fixtures/clients) passes validation. */
    @Test
    void realClientRequestsPass() throws Exception {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/test/resources/fixtures/clients"))) {
            var shapes = files.filter(f -> f.toString().endsWith(".shape.json") && !f.toString().endsWith(".requests.shape.json")).toList();
            assertEquals(7, shapes.size());
            for (var f : shapes) {
                String name = f.getFileName().toString();
                ClientProtocol protocol = name.startsWith("claude-code") || name.startsWith("pi-messages") ? ClientProtocol.ANTHROPIC
                        : name.startsWith("pi-chat") ? ClientProtocol.OPENAI_CHAT : ClientProtocol.RESPONSES;
                RequestReader.read(java.nio.file.Files.readAllBytes(f), protocol, false);
            }
        }
    }
}
