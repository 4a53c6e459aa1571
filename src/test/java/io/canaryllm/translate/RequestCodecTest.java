package io.canaryllm.translate;

import io.canaryllm.wire.anthropic.AnthropicRequests;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.ToolIds;
import io.canaryllm.wire.openai.chat.OpenAiChatRequests;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.ToolChoice;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestCodecTest {
    private static final ModelLimits CLAUDE = new ModelLimits(8192, true);
    private static final ModelLimits GPT = new ModelLimits(16384, true);

    private static JsonNode json(String s) throws Exception { return Json.MAPPER.readTree(s); }

    private static JsonNode chatToAnthropic(String chatBody) throws Exception {
        return AnthropicRequests.fromCanonical(OpenAiChatRequests.toCanonical(json(chatBody)), "claude", CLAUDE);
    }

    @Test
    void shouldGroupConsecutiveToolMessagesIntoOneUserTurnWithFollowingText() throws Exception {
        JsonNode out = chatToAnthropic("""
            {"model":"m","messages":[{"role":"user","content":"go"},
             {"role":"assistant","content":null,"tool_calls":[
               {"id":"c1","type":"function","function":{"name":"a","arguments":"{}"}},
               {"id":"c2","type":"function","function":{"name":"b","arguments":""}}]},
             {"role":"tool","tool_call_id":"c1","content":"1"},
             {"role":"tool","tool_call_id":"c2","content":"2"},
             {"role":"user","content":"next"}]}""");
        JsonNode msgs = out.path("messages");
        assertEquals(3, msgs.size());
        JsonNode user = msgs.get(2).path("content");
        assertEquals("tool_result", user.get(0).path("type").asText());
        assertEquals("tool_result", user.get(1).path("type").asText());
        assertEquals("next", user.get(2).path("text").asText());
        assertEquals("{}", msgs.get(1).path("content").get(1).path("input").toString(), "empty arguments become {}");
        ClientShapesTest.assertValidAnthropicMessages(msgs);
    }

    @Test
    void shouldSupplyAndClampMaxTokens() throws Exception {
        assertEquals(8192, chatToAnthropic("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").path("max_tokens").asInt());
        assertEquals(8192, chatToAnthropic("{\"model\":\"m\",\"max_tokens\":100000,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").path("max_tokens").asInt());
        assertEquals(50, chatToAnthropic("{\"model\":\"m\",\"max_completion_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").path("max_tokens").asInt());
    }

    @Test
    void shouldKeepThinkingBudgetBelowMaxTokens() throws Exception {
        JsonNode out = chatToAnthropic("{\"model\":\"m\",\"max_tokens\":3000,\"reasoning_effort\":\"high\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertTrue(out.path("thinking").path("budget_tokens").asInt() < out.path("max_tokens").asInt());
    }

    @Test
    void shouldMapToolChoiceAndParallelFlag() throws Exception {
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]";
        String msgs = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
        assertEquals("{\"type\":\"any\"}", chatToAnthropic("{\"model\":\"m\"," + msgs + tools + ",\"tool_choice\":\"required\"}").path("tool_choice").toString());
        assertEquals("{\"type\":\"tool\",\"name\":\"f\"}", chatToAnthropic("{\"model\":\"m\"," + msgs + tools
                + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}}").path("tool_choice").toString());
        assertEquals("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}",
                chatToAnthropic("{\"model\":\"m\"," + msgs + tools + ",\"parallel_tool_calls\":false}").path("tool_choice").toString());
        assertFalse(chatToAnthropic("{\"model\":\"m\"," + msgs + ",\"tool_choice\":\"auto\"}").has("tool_choice"), "never tool_choice without tools");

        ChatRequest fromAnthropic = AnthropicRequests.toCanonical(json("{\"model\":\"m\",\"max_tokens\":5," + msgs + tools.replace("\"type\":\"function\",\"function\":", "\"x\":")
                .replace("{\"x\":{\"name\":\"f\"}}", "{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}")
                + ",\"tool_choice\":{\"type\":\"any\",\"disable_parallel_tool_use\":true}}"));
        assertInstanceOf(ToolChoice.Required.class, fromAnthropic.toolChoice());
        JsonNode chat = OpenAiChatRequests.fromCanonical(fromAnthropic, "gpt", GPT);
        assertEquals("required", chat.path("tool_choice").asText());
        assertFalse(chat.path("parallel_tool_calls").asBoolean(true));
    }

    @Test
    void shouldMapImagesBothWays() throws Exception {
        ChatRequest req = AnthropicRequests.toCanonical(json("""
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAA"}},
              {"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}"""));
        JsonNode content = OpenAiChatRequests.fromCanonical(req, "gpt", GPT).path("messages").get(0).path("content");
        assertEquals("data:image/png;base64,AAA", content.get(0).path("image_url").path("url").asText());
        assertEquals("https://x/y.png", content.get(1).path("image_url").path("url").asText());
    }

    @Test
    void shouldMapToolIdsInjectivelyAndConsistently() {
        String a = ToolIds.forAnthropic("call.1");
        String b = ToolIds.forAnthropic("call:1");
        assertNotEquals(a, b, "two ids that clean to the same text stay distinct");
        assertEquals(a, ToolIds.forAnthropic("call.1"));
        assertEquals(a, ToolIds.forAnthropic(a), "a mapped id maps to itself on the next request");
        assertEquals("toolu_01abc", ToolIds.forAnthropic("toolu_01abc"));
        String longId = "fc_" + "x".repeat(50);
        assertTrue(ToolIds.forOpenAi(longId).length() <= 40);
    }

    @Test
    void shouldDropUnsignedThinkingAndKeepSignedThinkingForAnthropic() throws Exception {
        ChatRequest req = AnthropicRequests.toCanonical(json("""
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"q"},{"role":"assistant","content":[
              {"type":"thinking","thinking":"hmm","signature":"sig"},{"type":"text","text":"a  "}]}]}"""));
        JsonNode assistant = AnthropicRequests.fromCanonical(req, "claude", CLAUDE).path("messages").get(1).path("content");
        assertEquals("thinking", assistant.get(0).path("type").asText());
        assertEquals("a", assistant.get(1).path("text").asText(), "final assistant turn loses trailing whitespace");
        JsonNode chat = OpenAiChatRequests.fromCanonical(req, "gpt", GPT).path("messages").get(1);
        assertEquals("a  ", chat.path("content").asText());
    }

    @Test
    void shouldKeepSystemCacheHintsAndUnknownFieldsAsExtensions() throws Exception {
        ChatRequest req = AnthropicRequests.toCanonical(json("""
            {"model":"m","max_tokens":5,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","ttl":"1h"}}],
             "context_management":{"edits":[]},"messages":[{"role":"user","content":"q"}]}"""));
        assertEquals("1h", ((Part.Text) req.system().getFirst()).cache().ttl());
        assertTrue(req.extensions().has("context_management"));
        JsonNode out = AnthropicRequests.fromCanonical(req, "claude", CLAUDE);
        assertEquals("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}", out.path("system").get(0).path("cache_control").toString());
    }

    @Test
    void shouldRequestUsageOnlyWhenStreamingToOpenAi() throws Exception {
        ChatRequest stream = OpenAiChatRequests.toCanonical(json("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        assertTrue(OpenAiChatRequests.fromCanonical(stream, "gpt", GPT).path("stream_options").path("include_usage").asBoolean());
        ChatRequest plain = OpenAiChatRequests.toCanonical(json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        assertFalse(OpenAiChatRequests.fromCanonical(plain, "gpt", GPT).has("stream_options"));
    }
}
