package io.canaryllm.translate;

import io.canaryllm.wire.anthropic.AnthropicResponses;
import io.canaryllm.wire.openai.chat.OpenAiChatResponses;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseCodecTest {

    @Test
    void shouldConvertUsageWithoutLosingOrDoublingCacheTokens() throws Exception {
        ChatResponse r = AnthropicResponses.toCanonical(Json.MAPPER.readTree("""
            {"id":"msg_1","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn",
             "usage":{"input_tokens":10,"cache_creation_input_tokens":5,"cache_read_input_tokens":85,"output_tokens":3}}"""));
        assertEquals(100, r.usage().input());
        JsonNode chat = OpenAiChatResponses.fromCanonical(r, "m");
        assertEquals(100, chat.path("usage").path("prompt_tokens").asInt());
        assertEquals(103, chat.path("usage").path("total_tokens").asInt());
        JsonNode back = AnthropicResponses.fromCanonical(OpenAiChatResponses.toCanonical(chat), "m");
        assertEquals(10, back.path("usage").path("input_tokens").asInt());
        assertEquals(85, back.path("usage").path("cache_read_input_tokens").asInt());
        assertEquals(5, back.path("usage").path("cache_creation_input_tokens").asInt());
    }

    @Test
    void shouldMapFinishReasonsBothWays() throws Exception {
        for (String[] row : new String[][] {{"stop", "end_turn"}, {"length", "max_tokens"}, {"content_filter", "refusal"}}) {
            ChatResponse r = OpenAiChatResponses.toCanonical(Json.MAPPER.readTree(
                    "{\"choices\":[{\"message\":{\"content\":\"x\"},\"finish_reason\":\"" + row[0] + "\"}]}"));
            assertEquals(row[1], AnthropicResponses.fromCanonical(r, "m").path("stop_reason").asText());
        }
        ChatResponse tool = AnthropicResponses.toCanonical(Json.MAPPER.readTree(
                "{\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{\"a\":1}}],\"stop_reason\":\"tool_use\"}"));
        assertEquals(StopReason.TOOL_USE, tool.stopReason());
        JsonNode chat = OpenAiChatResponses.fromCanonical(tool, "m");
        assertEquals("tool_calls", chat.path("choices").get(0).path("finish_reason").asText());
        assertTrue(chat.path("choices").get(0).path("message").path("content").isNull());
        assertEquals("{\"a\":1}", chat.path("choices").get(0).path("message").path("tool_calls").get(0).path("function").path("arguments").asText());
    }

    @Test
    void shouldNotEmitEmptyTextBlocksToAnthropicClients() throws Exception {
        ChatResponse r = OpenAiChatResponses.toCanonical(Json.MAPPER.readTree(
                "{\"choices\":[{\"message\":{\"content\":\"\",\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}"));
        JsonNode content = AnthropicResponses.fromCanonical(r, "m").path("content");
        assertEquals(1, content.size());
        assertEquals("tool_use", content.get(0).path("type").asText());
    }
}
