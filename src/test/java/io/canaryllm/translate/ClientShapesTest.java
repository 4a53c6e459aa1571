package io.canaryllm.translate;

import io.canaryllm.testing.Golden;
import io.canaryllm.wire.anthropic.AnthropicRequests;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.openai.chat.OpenAiChatRequests;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.core.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recorded client request shapes (src/test/resources/fixtures/clients, copied from the shared fixtures) must become valid requests for the other wire. */
class ClientShapesTest {
    private static final Pattern ANTHROPIC_ID = Pattern.compile("^[a-zA-Z0-9_-]+$");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"claude-code-say-hello", "claude-code-tool-bash", "pi-messages-tool-bash"})
    void shouldTurnAnthropicClientShapesIntoValidOpenAiChatRequests(String name) throws Exception {
        JsonNode body = Json.MAPPER.readTree(Golden.read(Golden.CLIENTS.resolve(name + ".shape.json")));
        ChatRequest canonical = AnthropicRequests.toCanonical(body);
        JsonNode out = OpenAiChatRequests.fromCanonical(canonical, "gpt-4.1", new ModelLimits(16384, false));
        String text = out.toString();

        for (String anthropicOnly : new String[] {"cache_control", "$schema", "input_schema"}) {
            assertFalse(text.contains("\"" + anthropicOnly + "\""), anthropicOnly + " must not reach an OpenAI upstream");
        }
        for (String topLevel : new String[] {"context_management", "thinking", "metadata", "system", "stop_sequences"}) {
            assertFalse(out.has(topLevel), topLevel + " must not reach an OpenAI upstream");
        }
        assertTrue(out.path("max_tokens").asInt() <= 16384, "clamped to the model's max output");
        assertEquals("system", out.path("messages").path(0).path("role").asText());
        assertTrue(out.path("stream_options").path("include_usage").asBoolean());

        // every assistant tool_calls entry is answered by tool messages right after it (1.2 ordering rule)
        JsonNode messages = out.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            assertTrue(Set.of("system", "user", "assistant", "tool").contains(m.path("role").asText()));
            if (m.has("tool_calls")) {
                Set<String> ids = new HashSet<>();
                for (JsonNode c : m.path("tool_calls")) {
                    assertTrue(c.path("id").asText().length() <= 40);
                    assertTrue(c.path("function").path("arguments").isTextual(), "arguments are a JSON string");
                    ids.add(c.path("id").asText());
                }
                for (int j = 0; j < ids.size(); j++) {
                    JsonNode tool = messages.get(i + 1 + j);
                    assertEquals("tool", tool.path("role").asText());
                    assertTrue(ids.contains(tool.path("tool_call_id").asText()));
                }
            }
            if (m.path("content").isTextual() && !"assistant".equals(m.path("role").asText())) {
                assertFalse(m.path("content").asText().isEmpty() && !"tool".equals(m.path("role").asText()), "no empty content");
            }
        }
        for (JsonNode t : out.path("tools")) {
            assertEquals("function", t.path("type").asText());
            assertTrue(t.path("function").path("parameters").isObject());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pi-chat-tool-bash"})
    void shouldTurnChatClientShapesIntoValidAnthropicRequests(String name) throws Exception {
        JsonNode body = Json.MAPPER.readTree(Golden.read(Golden.CLIENTS.resolve(name + ".shape.json")));
        JsonNode out = AnthropicRequests.fromCanonical(OpenAiChatRequests.toCanonical(body), "claude-sonnet-4-5", new ModelLimits(64000, true));
        assertEquals(16384, out.path("max_tokens").asInt());
        assertFalse(out.has("store"));
        assertFalse(out.has("stream_options"));
        assertValidAnthropicMessages(out.path("messages"));
    }

    /** 2.2 placement rules: alternating roles starting with user, results first, non-empty text, valid ids. */
    static void assertValidAnthropicMessages(JsonNode messages) {
        assertEquals("user", messages.path(0).path("role").asText());
        String previousRole = null;
        Set<String> previousCalls = Set.of();
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            assertFalse(role.equals(previousRole), "roles alternate");
            assertFalse(m.path("content").isEmpty(), "no empty message");
            Set<String> calls = new HashSet<>();
            boolean resultsDone = false;
            int results = 0;
            for (JsonNode b : m.path("content")) {
                String type = b.path("type").asText();
                if ("text".equals(type)) assertFalse(b.path("text").asText().isEmpty(), "no empty text block");
                if ("tool_use".equals(type)) {
                    assertTrue(ANTHROPIC_ID.matcher(b.path("id").asText()).matches());
                    assertTrue(b.path("input").isObject());
                    calls.add(b.path("id").asText());
                }
                if ("tool_result".equals(type)) {
                    assertFalse(resultsDone, "tool_result blocks come first");
                    assertTrue(previousCalls.contains(b.path("tool_use_id").asText()), "result answers the previous turn");
                    results++;
                } else {
                    resultsDone = true;
                }
            }
            if (!previousCalls.isEmpty()) assertEquals(previousCalls.size(), results, "one result per call");
            previousCalls = calls;
            previousRole = role;
        }
    }
}
