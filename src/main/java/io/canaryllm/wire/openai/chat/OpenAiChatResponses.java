package io.canaryllm.wire.openai.chat;

import io.canaryllm.wire.mapping.Ids;
import io.canaryllm.wire.mapping.StopReasons;
import io.canaryllm.wire.mapping.ToolIds;
import io.canaryllm.wire.mapping.UsageCodec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.core.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** OpenAI Chat non-streamed answers (protocols.md 1.3) to and from {@link ChatResponse}. */
public final class OpenAiChatResponses {
    private OpenAiChatResponses() {}

    public static ChatResponse toCanonical(JsonNode body) {
        JsonNode choice = body.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<Part> parts = new ArrayList<>();
        String reasoning = message.hasNonNull("reasoning_content") ? message.get("reasoning_content").asText()
                : message.path("reasoning").isTextual() ? message.get("reasoning").asText() : null;
        if (reasoning != null && !reasoning.isEmpty()) parts.add(new Part.Thinking(reasoning, null, null));
        if (message.path("content").isTextual() && !message.get("content").asText().isEmpty()) {
            parts.add(new Part.Text(message.get("content").asText()));
        } else if (message.path("refusal").isTextual()) {
            parts.add(new Part.Text(message.get("refusal").asText()));
        }
        for (JsonNode call : message.path("tool_calls")) {
            String id = call.path("id").asText(null);
            parts.add(new Part.ToolCall(id == null || id.isEmpty() ? Ids.chatToolCall() : id,
                    call.path("function").path("name").asText(null), call.path("function").path("arguments").asText("")));
        }
        boolean sawCall = parts.stream().anyMatch(p -> p instanceof Part.ToolCall);
        StopReason reason = StopReasons.withToolCalls(StopReasons.fromOpenAi(choice.path("finish_reason").asText(null)), sawCall);
        return new ChatResponse(body.path("id").asText(null), body.path("model").asText(null), parts, reason,
                UsageCodec.fromOpenAi(body.path("usage")));
    }

    public static ObjectNode fromCanonical(ChatResponse response, String clientModel) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        String id = response.id() != null && response.id().startsWith("chatcmpl-") ? response.id() : Ids.chatCompletion();
        out.put("id", id).put("object", "chat.completion").put("created", Instant.now().getEpochSecond()).put("model", clientModel);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (Part p : response.parts()) {
            switch (p) {
                case Part.Text t -> text.append(t.text());
                case Part.Thinking t -> reasoning.append(t.text());
                case Part.ToolCall c -> {
                    ObjectNode call = calls.addObject().put("id", ToolIds.forOpenAi(c.id())).put("type", "function");
                    call.putObject("function").put("name", c.name())
                            .put("arguments", c.argumentsJson() == null || c.argumentsJson().isEmpty() ? "{}" : c.argumentsJson());
                }
                default -> { }
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) message.putNull("content");
        else message.put("content", text.toString());
        if (!reasoning.isEmpty()) message.put("reasoning_content", reasoning.toString());
        if (!calls.isEmpty()) message.set("tool_calls", calls);
        choice.put("finish_reason", StopReasons.toOpenAi(StopReasons.withToolCalls(response.stopReason(), !calls.isEmpty())));
        out.set("usage", UsageCodec.toOpenAi(response.usage()));
        return out;
    }
}
