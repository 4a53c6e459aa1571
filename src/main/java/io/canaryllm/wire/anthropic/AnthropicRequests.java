package io.canaryllm.wire.anthropic;

import io.canaryllm.wire.mapping.Arguments;
import io.canaryllm.wire.mapping.ForeignThinking;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.TranslationException;
import io.canaryllm.wire.mapping.JsonFields;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.CacheHint;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.Message;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.Reasoning;
import io.canaryllm.canonical.ResponseFormat;
import io.canaryllm.canonical.Role;
import io.canaryllm.canonical.Sampling;
import io.canaryllm.canonical.Tool;
import io.canaryllm.canonical.ToolChoice;
import io.canaryllm.core.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Anthropic Messages request bodies (protocols.md 2.1–2.3) to and from {@link ChatRequest}. */
public final class AnthropicRequests {

    /** Top-level fields {@link #toCanonical} maps; the rest (context_management, service_tier …) go to extensions. */
    private static final Set<String> UNDERSTOOD = Set.of("model", "messages", "system", "tools", "tool_choice",
            "temperature", "top_p", "top_k", "stop_sequences", "max_tokens", "thinking", "output_config",
            "stream", "metadata");

    /** Effort → thinking budget (5.2, LiteLLM defaults); "minimal" gets Anthropic's minimum of 1024. */
    static final Map<String, Integer> BUDGET_FOR_EFFORT = Map.of(
            "minimal", 1024, "low", 1024, "medium", 2048, "high", 4096, "xhigh", 8192, "max", 16384);

    private static final int MIN_THINKING_BUDGET = 1024;

    private AnthropicRequests() {}

    // ---------------------------------------------------------------- client → canonical

    public static ChatRequest toCanonical(JsonNode body) {
        if (body == null || !body.isObject()) throw new TranslationException(null, "The request body must be a JSON object.");
        JsonNode messages = body.path("messages");
        if (!messages.isArray()) throw new TranslationException("messages", "Missing required parameter: 'messages'.");

        List<Part> system = new ArrayList<>();
        JsonNode sys = body.path("system");
        if (sys.isTextual()) system.add(new Part.Text(sys.asText()));
        else for (JsonNode b : sys) system.add(new Part.Text(b.path("text").asText(""), cache(b)));

        List<Tool> declared = new ArrayList<>();
        for (JsonNode t : body.path("tools")) {
            Tool tool = customTool(t);
            if (tool != null) declared.add(tool);
        }

        AnthropicSystemMessages systemMessages = new AnthropicSystemMessages(declared, messages);
        List<Message> turns = new ArrayList<>();
        Map<String, String> callNames = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (AnthropicSystemMessages.isSystem(m)) {
                Message turn = systemMessages.read(m, i);
                if (turn != null) turns.add(turn);
                continue;
            }
            Role role = "assistant".equals(m.path("role").asText()) ? Role.ASSISTANT : Role.USER;
            turns.add(new Message(role, blocks(m.path("content"), callNames)));
        }
        List<Tool> tools = systemMessages.tools();
        String effort = systemMessages.effort() != null ? systemMessages.effort()
                : body.path("output_config").path("effort").asText(null);

        JsonNode choice = body.path("tool_choice");
        Boolean parallel = choice.path("disable_parallel_tool_use").asBoolean(false) ? Boolean.FALSE : null;

        ObjectNode extensions = Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!UNDERSTOOD.contains(f.getKey())) extensions.set(f.getKey(), f.getValue());
        }
        List<String> stops = new ArrayList<>();
        body.path("stop_sequences").forEach(s -> stops.add(s.asText()));

        return new ChatRequest(body.path("model").asText(null), system, turns, tools, toolChoice(choice), parallel,
                new Sampling(JsonFields.doubleOrNull(body, "temperature"), JsonFields.doubleOrNull(body, "top_p"),
                        body.hasNonNull("top_k") ? body.get("top_k").asInt() : null, stops),
                body.hasNonNull("max_tokens") ? body.get("max_tokens").asInt() : null,
                responseFormat(body.path("output_config").path("format")),
                reasoning(body.path("thinking"), effort),
                body.path("stream").asBoolean(false), body.path("metadata").path("user_id").asText(null),
                Map.of(), extensions);
    }

    /** A {@code tools} entry (or an inline tool definition) as a canonical tool; null for a server tool. */
    static Tool customTool(JsonNode t) {
        // 2.3: server tools (web_search_…, bash_…) have no equivalent elsewhere; dropped rather than failing
        // every Claude Code request that lists one
        if (!"custom".equals(t.path("type").asText("custom"))) return null;
        return new Tool(t.path("name").asText(null), t.path("description").asText(null),
                t.get("input_schema"), t.path("strict").isBoolean() ? t.get("strict").asBoolean() : null, cache(t));
    }

    static CacheHint cache(JsonNode block) {
        JsonNode c = block.path("cache_control");
        return c.isObject() ? new CacheHint(c.path("ttl").asText(null)) : null;
    }

    private static List<Part> blocks(JsonNode content, Map<String, String> callNames) {
        List<Part> parts = new ArrayList<>();
        if (content.isTextual()) {
            parts.add(new Part.Text(content.asText()));
            return parts;
        }
        for (JsonNode b : content) {
            CacheHint cache = cache(b);
            switch (b.path("type").asText("")) {
                case "text" -> parts.add(new Part.Text(b.path("text").asText(""), cache));
                case "image" -> parts.add(image(b.path("source"), cache));
                case "document" -> {
                    JsonNode s = b.path("source");
                    parts.add(new Part.Document(s.path("url").asText(null), s.path("media_type").asText(null),
                            s.path("data").asText(null), b.path("title").asText(null), cache));
                }
                case "tool_use" -> {
                    String id = b.path("id").asText(null);
                    callNames.put(id, b.path("name").asText(null));
                    parts.add(new Part.ToolCall(id, b.path("name").asText(null), Arguments.toText(b.get("input")), cache));
                }
                case "tool_result" -> {
                    String id = b.path("tool_use_id").asText(null);
                    parts.add(new Part.ToolResult(id, callNames.get(id), blocks(b.path("content"), callNames),
                            b.path("is_error").asBoolean(false), cache));
                }
                case "thinking" -> parts.add(new Part.Thinking(b.path("thinking").asText(""), b.path("signature").asText(null), cache));
                case "redacted_thinking" -> parts.add(new Part.RedactedThinking(b.path("data").asText(""), cache));
                default -> { } // server-tool blocks and future types: nothing another vendor can use (2.2)
            }
        }
        return parts;
    }

    private static Part.Image image(JsonNode source, CacheHint cache) {
        if ("url".equals(source.path("type").asText())) return new Part.Image(source.path("url").asText(), null, null, cache);
        return new Part.Image(null, source.path("media_type").asText(null), source.path("data").asText(null), cache);
    }

    /** protocols.md 5.4 table, Anthropic column. */
    private static ToolChoice toolChoice(JsonNode c) {
        return switch (c.path("type").asText("")) {
            case "auto" -> ToolChoice.AUTO;
            case "any" -> ToolChoice.REQUIRED;
            case "none" -> ToolChoice.NONE;
            case "tool" -> new ToolChoice.Named(c.path("name").asText());
            default -> null;
        };
    }

    private static ResponseFormat responseFormat(JsonNode f) {
        if (!"json_schema".equals(f.path("type").asText())) return null;
        return new ResponseFormat.JsonSchema(null, f.get("schema"), null);
    }

    private static Reasoning reasoning(JsonNode thinking, String effort) {
        return switch (thinking.path("type").asText("")) {
            case "enabled" -> new Reasoning(true, thinking.path("budget_tokens").asInt(MIN_THINKING_BUDGET), effort);
            case "adaptive" -> new Reasoning(true, null, effort == null ? "medium" : effort);
            case "disabled" -> Reasoning.DISABLED;
            default -> effort == null ? null : new Reasoning(true, null, effort);
        };
    }

    // ---------------------------------------------------------------- canonical → upstream

    public static ObjectNode fromCanonical(ChatRequest request, String upstreamModel, ModelLimits limits) {
        // system turns inside the conversation are a beta the stable API rejects: they join the system prompt
        ChatRequest req = request.withSystemTurnsFolded();
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("model", upstreamModel);

        ArrayNode system = Json.MAPPER.createArrayNode();
        for (Part p : req.system()) {
            if (p instanceof Part.Text t && !t.text().isEmpty()) system.add(textBlock(t.text(), t.cache()));
        }
        if (!system.isEmpty()) out.set("system", system);
        out.set("messages", AnthropicTurns.build(req.messages()));

        // pitfall 14: required; the model's max output when the client gave none, never above it
        int maxTokens = req.maxOutputTokens() == null ? limits.maxOutputTokens()
                : Math.min(req.maxOutputTokens(), limits.maxOutputTokens());
        out.put("max_tokens", maxTokens);

        Integer budget = thinkingBudget(req.reasoning(), limits);
        // another vendor's thought was dropped in front of the tool calls the last turn answers: that turn cannot start
        // with a valid thinking block, so this request goes without thinking (ForeignThinking's tool-loop rule)
        if (budget != null && ForeignThinking.dropsSignedThinking(req.messages())
                && ForeignThinking.unsignedToolLoop((ArrayNode) out.get("messages"))) {
            budget = null;
        }
        if (budget != null) {
            // 2.1: max_tokens must exceed budget_tokens; shrink the budget, the client's cap stays
            budget = Math.min(budget, maxTokens - 1);
            if (budget >= MIN_THINKING_BUDGET) {
                out.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
            } else {
                budget = null;
            }
        }
        boolean thinking = budget != null;

        Sampling s = req.sampling();
        // pitfall 18: thinking accepts only the default temperature; 17: newer models reject temperature + top_p
        if (!thinking) {
            if (s.temperature() != null) out.put("temperature", Math.max(0.0, Math.min(1.0, s.temperature())));
            else if (s.topP() != null) out.put("top_p", s.topP());
            if (s.topK() != null) out.put("top_k", s.topK());
        }
        if (!s.stopSequences().isEmpty()) {
            ArrayNode stops = out.putArray("stop_sequences");
            s.stopSequences().forEach(stops::add);
        }

        if (!req.tools().isEmpty()) {
            ArrayNode tools = out.putArray("tools");
            for (Tool t : req.tools()) tools.add(tool(t));
            ObjectNode choice = toolChoice(req.toolChoice(), thinking, Boolean.FALSE.equals(req.parallelToolCalls()));
            if (choice != null) out.set("tool_choice", choice);
        }
        if (req.responseFormat() instanceof ResponseFormat.JsonSchema js && js.schema() != null) {
            out.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", js.schema());
        }
        if (req.userId() != null) out.putObject("metadata").put("user_id", req.userId());
        if (req.stream()) out.put("stream", true);
        return out;
    }

    static ObjectNode textBlock(String text, CacheHint cache) {
        ObjectNode b = Json.MAPPER.createObjectNode().put("type", "text").put("text", text);
        addCache(b, cache);
        return b;
    }

    static void addCache(ObjectNode block, CacheHint cache) {
        if (cache == null) return;
        ObjectNode c = block.putObject("cache_control").put("type", "ephemeral");
        if (cache.ttl() != null) c.put("ttl", cache.ttl());
    }

    private static Integer thinkingBudget(Reasoning r, ModelLimits limits) {
        if (r == null || !r.enabled() || !limits.supportsReasoning()) return null;
        if (r.budgetTokens() != null) return Math.max(MIN_THINKING_BUDGET, r.budgetTokens());
        if (r.effort() == null || "none".equals(r.effort())) return null;
        return BUDGET_FOR_EFFORT.getOrDefault(r.effort(), 2048);
    }

    private static ObjectNode tool(Tool t) {
        ObjectNode tool = Json.MAPPER.createObjectNode().put("name", t.name());
        if (t.description() != null && !t.description().isEmpty()) tool.put("description", t.description());
        // 5.3: input_schema is required and must be type:object
        ObjectNode schema = t.inputSchema() != null && t.inputSchema().isObject()
                ? ((ObjectNode) t.inputSchema()).deepCopy() : Json.MAPPER.createObjectNode();
        if (!schema.has("type")) schema.put("type", "object");
        if (!schema.has("properties")) schema.putObject("properties");
        tool.set("input_schema", schema);
        addCache(tool, t.cache());
        return tool;
    }

    /**
     * protocols.md 5.4. Forced choices cannot be combined with thinking (pitfall 18): downgraded to auto, so the
     * client still gets its reasoning. {@code disable_parallel_tool_use} is OpenAI's parallel_tool_calls inverted.
     */
    private static ObjectNode toolChoice(ToolChoice c, boolean thinking, boolean noParallel) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        switch (c) {
            case null -> {
                if (!noParallel) return null;
                o.put("type", "auto");
            }
            case ToolChoice.None n -> {
                return o.put("type", "none");
            }
            case ToolChoice.Auto a -> o.put("type", "auto");
            case ToolChoice.Required r -> o.put("type", thinking ? "auto" : "any");
            case ToolChoice.Named n -> {
                if (thinking) o.put("type", "auto");
                else o.put("type", "tool").put("name", n.name());
            }
        }
        if (noParallel) o.put("disable_parallel_tool_use", true);
        return o;
    }
}
