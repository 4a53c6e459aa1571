package io.canaryllm.wire.openai.responses;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.mapping.StopReasons;
import io.canaryllm.wire.mapping.ToolIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.ChatResponse;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.StopReason;
import io.canaryllm.canonical.Usage;
import io.canaryllm.core.Json;

import java.time.Instant;

/**
 * {@link ChatResponse} → an OpenAI Responses {@code response} object (protocols.md 3.3, 5.7 "Upstream → Resp client",
 * 5.8, 5.12). Items in answer order: {@code reasoning} (only for thinking), {@code message} (one per run of text),
 * {@code function_call} (name and namespace restored) or {@code custom_tool_call} (for tools the client declared
 * {@code custom}). The object echoes the request's parameters, as OpenAI does; the stream encoder builds its
 * snapshots with the same methods, so a streamed and a whole answer look alike.
 */
public final class ResponsesResponses {
    private ResponsesResponses() {}

    /** An answer from the Anthropic wire (for tests and callers that know no other). */
    public static ObjectNode fromCanonical(ChatResponse response, String clientModel, ResponsesRequests.Decoded decoded) {
        return fromCanonical(response, clientModel, decoded, Protocol.ANTHROPIC);
    }

    /**
     * @param upstream the wire the answer came from: the vendor of its thinking signatures, recorded in the reasoning
     *                 items' {@code encrypted_content} ({@link ResponsesReasoning})
     */
    public static ObjectNode fromCanonical(ChatResponse response, String clientModel, ResponsesRequests.Decoded decoded,
                                           Protocol upstream) {
        ObjectNode out = skeleton(ResponsesIds.response(), Instant.now().getEpochSecond(), clientModel, decoded);
        ArrayNode output = out.putArray("output");
        StringBuilder text = null;
        boolean sawCall = false;
        for (Part p : response.parts()) {
            if (p instanceof Part.Text t) {
                if (t.text() == null || t.text().isEmpty()) continue;
                if (text == null) text = new StringBuilder();
                text.append(t.text());
                continue;
            }
            if (text != null) {
                output.add(messageItem(ResponsesIds.message(), "completed", text.toString()));
                text = null;
            }
            switch (p) {
                case Part.Thinking t -> {
                    String encrypted = ResponsesReasoning.encode(t, upstream);
                    if (!t.text().isEmpty() || encrypted != null) output.add(reasoningItem(ResponsesIds.reasoning(), t.text(), encrypted));
                }
                case Part.RedactedThinking r -> output.add(reasoningItem(ResponsesIds.reasoning(), "", ResponsesReasoning.encode(r, upstream)));
                case Part.ToolCall c -> {
                    sawCall = true;
                    output.add(callItem(c.id(), c.name(), c.argumentsJson(), "completed", decoded));
                }
                default -> { }
            }
        }
        if (text != null) output.add(messageItem(ResponsesIds.message(), "completed", text.toString()));
        StopReason reason = StopReasons.withToolCalls(response.stopReason(), sawCall);
        finish(out, reason, null, response.usage());
        return out;
    }

    // ---------------------------------------------------------------- shared with the stream encoder

    /**
     * The response object with {@code status:"in_progress"}, no output and no usage, echoing the request (3.3): what
     * {@code response.created} carries; {@link #finish} turns it into the final one.
     */
    static ObjectNode skeleton(String id, long createdAt, String clientModel, ResponsesRequests.Decoded decoded) {
        JsonNode req = decoded == null || decoded.clientBody() == null ? Json.MAPPER.createObjectNode() : decoded.clientBody();
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", id).put("object", "response").put("created_at", createdAt).put("status", "in_progress");
        out.putNull("error");
        out.putNull("incomplete_details");
        copyOrNull(out, req, "instructions");
        copyOrNull(out, req, "max_output_tokens");
        out.put("model", clientModel);
        out.putArray("output");
        out.put("parallel_tool_calls", req.path("parallel_tool_calls").asBoolean(true));
        out.putNull("previous_response_id");
        ObjectNode reasoning = out.putObject("reasoning");
        copyOrNull(reasoning, req.path("reasoning"), "effort");
        copyOrNull(reasoning, req.path("reasoning"), "summary");
        out.put("store", req.path("store").asBoolean(true));
        if (req.path("temperature").isNumber()) out.set("temperature", req.get("temperature"));
        else out.put("temperature", 1.0);
        if (req.path("text").isObject()) out.set("text", req.get("text").deepCopy());
        else out.putObject("text").putObject("format").put("type", "text");
        out.set("tool_choice", req.hasNonNull("tool_choice") ? req.get("tool_choice").deepCopy()
                : Json.MAPPER.getNodeFactory().textNode("auto"));
        out.set("tools", req.path("tools").isArray() ? req.get("tools").deepCopy() : Json.MAPPER.createArrayNode());
        if (req.path("top_p").isNumber()) out.set("top_p", req.get("top_p"));
        else out.put("top_p", 1.0);
        out.put("truncation", req.path("truncation").asText("disabled"));
        out.putNull("usage");
        copyOrNull(out, req, "user");
        out.set("metadata", req.path("metadata").isObject() ? req.get("metadata").deepCopy() : Json.MAPPER.createObjectNode());
        if (req.path("prompt_cache_key").isTextual()) out.set("prompt_cache_key", req.get("prompt_cache_key"));
        return out;
    }

    /**
     * Sets the terminal status (5.7 "Upstream → Resp client"): completed; incomplete with reason
     * {@code max_output_tokens} or {@code content_filter}; or failed with {@code error} when {@code error} is given.
     * Returns the event type that announces it.
     */
    static String finish(ObjectNode response, StopReason reason, ObjectNode error, Usage usage) {
        String event;
        if (error != null) {
            response.put("status", "failed");
            response.set("error", error);
            event = "response.failed";
        } else if (reason == StopReason.MAX_TOKENS || reason == StopReason.CONTENT_FILTER || reason == StopReason.REFUSAL) {
            response.put("status", "incomplete");
            response.putObject("incomplete_details").put("reason", reason == StopReason.MAX_TOKENS ? "max_output_tokens" : "content_filter");
            event = "response.incomplete";
        } else if (reason == StopReason.ERROR) {
            response.put("status", "failed");
            response.set("error", error("server_error", "The model failed to generate a response."));
            event = "response.failed";
        } else {
            response.put("status", "completed");
            event = "response.completed";
        }
        response.set("usage", usage(usage == null ? Usage.ZERO : usage));
        return event;
    }

    static ObjectNode error(String code, String message) {
        return Json.MAPPER.createObjectNode().put("code", code).put("message", message == null ? "" : message);
    }

    /** 5.8: input includes cached tokens, output includes reasoning tokens — as canonical. */
    static ObjectNode usage(Usage u) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("input_tokens", u.input());
        ObjectNode in = o.putObject("input_tokens_details").put("cached_tokens", u.cacheRead());
        if (u.cacheWrite() > 0) in.put("cache_write_tokens", u.cacheWrite());
        o.put("output_tokens", u.output());
        o.putObject("output_tokens_details").put("reasoning_tokens", u.reasoning());
        o.put("total_tokens", u.total());
        return o;
    }

    static ObjectNode messageItem(String id, String status, String text) {
        ObjectNode item = Json.MAPPER.createObjectNode().put("id", id).put("type", "message").put("status", status);
        ArrayNode content = item.putArray("content");
        if (text != null) content.add(textPart(text));
        item.put("role", "assistant");
        return item;
    }

    static ObjectNode textPart(String text) {
        ObjectNode part = Json.MAPPER.createObjectNode().put("type", "output_text");
        part.putArray("annotations");
        part.putArray("logprobs");
        part.put("text", text);
        return part;
    }

    /** {@code summary} holds the reasoning text; {@code encrypted_content} the gateway's replayable encoding, if any. */
    static ObjectNode reasoningItem(String id, String text, String encrypted) {
        ObjectNode item = Json.MAPPER.createObjectNode().put("id", id).put("type", "reasoning");
        ArrayNode summary = item.putArray("summary");
        if (text != null && !text.isEmpty()) summary.add(summaryPart(text));
        if (encrypted != null) item.put("encrypted_content", encrypted);
        return item;
    }

    static ObjectNode summaryPart(String text) {
        return Json.MAPPER.createObjectNode().put("type", "summary_text").put("text", text);
    }

    /**
     * A {@code function_call} item ({@code id: fc_…}, {@code call_id} = the upstream call id within OpenAI's 40
     * characters, pitfall 9; namespaced names restored), or a {@code custom_tool_call} whose {@code input} is the
     * single string argument, for tools the client declared {@code custom}.
     */
    static ObjectNode callItem(String callId, String canonicalName, String arguments, String status, ResponsesRequests.Decoded decoded) {
        String clientCallId = ToolIds.forOpenAi(callId);
        ResponsesRequests.ToolName name = decoded == null ? new ResponsesRequests.ToolName(null, canonicalName) : decoded.clientName(canonicalName);
        boolean custom = decoded != null && decoded.isCustom(canonicalName);
        ObjectNode item = Json.MAPPER.createObjectNode();
        if (custom) {
            item.put("id", ResponsesIds.customToolCall()).put("type", "custom_tool_call").put("status", status)
                    .put("call_id", clientCallId).put("input", customInput(arguments));
        } else {
            item.put("id", ResponsesIds.functionCall()).put("type", "function_call").put("status", status)
                    .put("arguments", arguments == null || arguments.isEmpty() ? "{}" : arguments).put("call_id", clientCallId);
        }
        item.put("name", name.name());
        if (name.namespace() != null) item.put("namespace", name.namespace());
        return item;
    }

    /** The freeform input from {@code {"input": "…"}}; anything else the model wrote is passed on as it is. */
    static String customInput(String arguments) {
        if (arguments == null || arguments.isBlank()) return "";
        try {
            JsonNode args = Json.MAPPER.readTree(arguments);
            if (args.path(ResponsesRequests.CUSTOM_ARGUMENT).isTextual()) return args.get(ResponsesRequests.CUSTOM_ARGUMENT).asText();
            if (args.isTextual()) return args.asText();
            if (args.isObject() && args.size() == 1 && args.elements().next().isTextual()) return args.elements().next().asText();
        } catch (Exception e) {
            // not JSON: the model wrote the freeform input directly
        }
        return arguments;
    }

    private static void copyOrNull(ObjectNode out, JsonNode from, String field) {
        if (from.hasNonNull(field)) out.set(field, from.get(field).deepCopy());
        else out.putNull(field);
    }
}
