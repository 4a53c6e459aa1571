package io.canaryllm.wire.anthropic;

import io.canaryllm.testing.Golden;
import io.canaryllm.wire.gemini.GeminiRequests;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.openai.chat.OpenAiChatRequests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.Role;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anthropic's beta {@code role: "system"} messages (Claude Code on non-Claude models) translated for each upstream wire:
 * golden files under {@code golden/anthropic-system-messages/} (one client request, one expected upstream body per
 * wire; {@code -Dgolden.update=true} rewrites them), and the rules one by one.
 */
class AnthropicSystemMessagesTest {
    private static final Path DIR = Golden.ROOT.resolve("anthropic-system-messages");
    private static final ModelLimits REASONING = new ModelLimits(64000, true);

    enum UpstreamWire { CHAT, ANTHROPIC, GEMINI }

    private static ChatRequest golden() throws Exception {
        return AnthropicRequests.toCanonical(Json.MAPPER.readTree(Golden.read(DIR.resolve("request.json"))));
    }

    private static JsonNode encode(ChatRequest request, UpstreamWire wire) {
        return switch (wire) {
            case CHAT -> OpenAiChatRequests.fromCanonical(request, "gpt-5", REASONING);
            case ANTHROPIC -> AnthropicRequests.fromCanonical(request, "claude-sonnet-4-5", REASONING);
            case GEMINI -> GeminiRequests.fromCanonical(request, REASONING);
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UpstreamWire.class)
    void shouldTranslateClaudeCodeSystemMessagesToGolden(UpstreamWire wire) throws Exception {
        JsonNode upstream = encode(golden(), wire);
        Golden.compareJson(DIR.resolve("expected-" + wire.name().toLowerCase() + "-request.json"),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(upstream) + "\n");
    }

    @Test
    void shouldKeepSystemMessagesInPlaceOnTheChatWire() throws Exception {
        JsonNode messages = encode(golden(), UpstreamWire.CHAT).path("messages");
        assertEquals(List.of("system", "system", "user", "assistant", "tool", "system"), roles(messages));
        assertTrue(messages.get(1).path("content").asText().startsWith("<available-agents>"), "the agent list stays a system message");
        assertEquals("Prefer Glob over ls for finding files.", messages.get(5).path("content").asText());
        assertFalse(messages.toString().contains("Plan mode is off"), "clear_at next_user_message: a later user message clears it");
    }

    @Test
    void shouldChangeTheToolListTheUpstreamSees() throws Exception {
        JsonNode chat = encode(golden(), UpstreamWire.CHAT);
        List<String> names = new ArrayList<>();
        chat.path("tools").forEach(t -> names.add(t.path("function").path("name").asText()));
        assertEquals(List.of("Bash", "Glob"), names, "Read removed, Glob added inline; the server tool has no equivalent");
        assertEquals("pattern", chat.path("tools").get(1).path("function").path("parameters").path("required").get(0).asText());
    }

    @Test
    void shouldMapTheEffortInForceToReasoningEffort() throws Exception {
        assertEquals("high", encode(golden(), UpstreamWire.CHAT).path("reasoning_effort").asText(),
                "the last system message's effort; the cleared one's 'low' no longer applies");
        assertEquals(4096, encode(golden(), UpstreamWire.GEMINI).path("generationConfig").path("thinkingConfig")
                .path("thinkingBudget").asInt());
    }

    @Test
    void shouldFoldSystemMessagesIntoTheSystemPromptWhereTheWireHasNoSystemTurn() throws Exception {
        JsonNode gemini = encode(golden(), UpstreamWire.GEMINI);
        JsonNode parts = gemini.path("systemInstruction").path("parts");
        assertEquals(3, parts.size());
        assertTrue(parts.get(1).path("text").asText().startsWith("<available-agents>"));
        assertEquals("Prefer Glob over ls for finding files.", parts.get(2).path("text").asText());
        for (JsonNode c : gemini.path("contents")) {
            assertFalse(c.toString().contains("available-agents") || c.toString().contains("Prefer Glob"),
                    "no system text inside a user turn: " + c);
        }
        JsonNode anthropic = encode(golden(), UpstreamWire.ANTHROPIC);
        assertEquals(3, anthropic.path("system").size());
        assertEquals(List.of("user", "assistant", "user"), roles(anthropic.path("messages")));
    }

    @Test
    void shouldKeepANextUserMessageInstructionUntilAUserMessageFollows() throws Exception {
        ChatRequest r = AnthropicRequests.toCanonical(body("""
                {"role":"user","content":"hi"},
                {"role":"system","clear_at":"next_user_message","content":"Answer in French.","output_config":{"effort":"low"}}"""));
        assertEquals(Role.SYSTEM, r.messages().get(1).role());
        assertEquals("low", r.reasoning().effort());
        JsonNode chat = OpenAiChatRequests.fromCanonical(r, "gpt-5", REASONING);
        assertEquals("Answer in French.", chat.path("messages").get(1).path("content").asText());
        assertEquals("low", chat.path("reasoning_effort").asText());
    }

    @Test
    void shouldFallBackToTheTopLevelEffortWhenTheSystemMessageEffortWasCleared() throws Exception {
        ObjectNode body = body("""
                {"role":"system","clear_at":"next_user_message","content":"x","output_config":{"effort":"low"}},
                {"role":"user","content":"hi"}""");
        body.putObject("output_config").put("effort", "medium");
        ChatRequest r = AnthropicRequests.toCanonical(body);
        assertEquals("medium", r.reasoning().effort());
        assertEquals(List.of(Role.USER), r.messages().stream().map(m -> m.role()).toList());
    }

    @Test
    void shouldOfferARemovedToolAgainWhenALaterMessageAddsItBack() throws Exception {
        ObjectNode body = body("""
                {"role":"user","content":"hi"},
                {"role":"system","content":[{"type":"tool_removal","tool":{"type":"tool_reference","name":"Bash"}}]},
                {"role":"assistant","content":"ok"},
                {"role":"system","content":[{"type":"tool_addition","tool":{"type":"tool_reference","name":"Bash"}},
                                            {"type":"tool_addition","tool":{"type":"mcp_toolset_reference","server_name":"x"}},
                                            {"type":"tool_removal","tool":{"type":"tool_reference","name":"Nope"}}]},
                {"role":"user","content":"again"}""");
        body.putArray("tools").addObject().put("name", "Bash").putObject("input_schema").put("type", "object");
        ChatRequest r = AnthropicRequests.toCanonical(body);
        assertEquals(List.of("Bash"), r.tools().stream().map(t -> t.name()).toList());
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.USER), r.messages().stream().map(m -> m.role()).toList(),
                "a system message with only tool changes leaves no turn");
        assertNull(r.reasoning());
    }

    private static ObjectNode body(String messages) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("{\"model\":\"openai/gpt-5\",\"max_tokens\":100,\"messages\":[" + messages + "]}");
    }

    private static List<String> roles(JsonNode messages) {
        List<String> roles = new ArrayList<>();
        messages.forEach(m -> roles.add(m.path("role").asText()));
        return roles;
    }
}
