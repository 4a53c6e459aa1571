package io.canaryllm.wire.openai.chat;

import io.canaryllm.wire.mapping.DataUrls;
import io.canaryllm.wire.mapping.JsonFields;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.ToolIds;
import io.canaryllm.wire.mapping.TranslationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** OpenAI Chat Completions request bodies (protocols.md 1.1, 1.2) to and from {@link ChatRequest}. */
public final class OpenAiChatRequests {

    /** Top-level fields {@link #toCanonical} maps; everything else goes to {@code extensions}. */
    private static final Set<String> UNDERSTOOD = Set.of("model", "messages", "tools", "tool_choice",
            "parallel_tool_calls", "temperature", "top_p", "stop", "max_tokens", "max_completion_tokens",
            "response_format", "reasoning_effort", "stream", "stream_options", "metadata", "user",
            "safety_identifier", "functions", "function_call");

    /**
     * Extensions that mean the same on every OpenAI-compatible upstream and are forwarded as-is (1.1). The others
     * (store, metadata, service_tier, Anthropic fields …) are vendor state or knobs the target may reject.
     */
    private static final Set<String> FORWARDED_EXTENSIONS = Set.of("seed", "presence_penalty",
            "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "n", "verbosity");

    /** Effort for budget-style reasoning (5.2 reverse mapping: budget < 2048 low, < 8192 medium, else high). */
    static String effortForBudget(int budget) {
        return budget < 2048 ? "low" : budget < 8192 ? "medium" : "high";
    }

    private OpenAiChatRequests() {}

    // ---------------------------------------------------------------- client → canonical

    public static ChatRequest toCanonical(JsonNode body) {
        if (body == null || !body.isObject()) throw new TranslationException(null, "The request body must be a JSON object.");
        JsonNode messages = body.path("messages");
        if (!messages.isArray()) throw new TranslationException("messages", "Missing required parameter: 'messages'.");

        List<Part> system = new ArrayList<>();
        List<Message> turns = new ArrayList<>();
        Map<String, String> callNames = new HashMap<>();
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            switch (role) {
                // 5.1: system and developer messages are hoisted in order; a mid-conversation one loses its place
                case "system", "developer" -> system.addAll(textParts(m.path("content")));
                case "user" -> turns.add(new Message(Role.USER, userParts(m.path("content"))));
                case "assistant" -> turns.add(new Message(Role.ASSISTANT, assistantParts(m, callNames)));
                case "tool" -> {
                    String callId = m.path("tool_call_id").asText(null);
                    turns.add(new Message(Role.USER, List.of(new Part.ToolResult(callId, callNames.get(callId),
                            textParts(m.path("content")), false, null))));
                }
                default -> throw new TranslationException("messages", "Unsupported message role: '" + role + "'.");
            }
        }

        ObjectNode extensions = Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!UNDERSTOOD.contains(f.getKey())) extensions.set(f.getKey(), f.getValue());
        }
        Integer maxOut = body.hasNonNull("max_completion_tokens") ? Integer.valueOf(body.get("max_completion_tokens").asInt())
                : body.hasNonNull("max_tokens") ? Integer.valueOf(body.get("max_tokens").asInt()) : null;
        String effort = body.path("reasoning_effort").asText(null);
        Reasoning reasoning = effort == null ? null
                : "none".equals(effort) ? Reasoning.DISABLED : new Reasoning(true, null, effort);
        String user = body.hasNonNull("safety_identifier") ? body.get("safety_identifier").asText() : body.path("user").asText(null);

        return new ChatRequest(body.path("model").asText(null), system, turns, tools(body.path("tools")),
                toolChoice(body.path("tool_choice")),
                body.path("parallel_tool_calls").isBoolean() ? body.get("parallel_tool_calls").asBoolean() : null,
                new Sampling(JsonFields.doubleOrNull(body, "temperature"), JsonFields.doubleOrNull(body, "top_p"), null, stop(body.path("stop"))),
                maxOut, responseFormat(body.path("response_format")), reasoning, body.path("stream").asBoolean(false),
                user, JsonFields.stringMap(body.path("metadata")), extensions);
    }

    /** Whether a Chat client asked for the usage chunk ({@code stream_options.include_usage}, 1.4). */
    public static boolean wantsUsage(JsonNode body) {
        return body.path("stream_options").path("include_usage").asBoolean(false);
    }

    private static List<Part> textParts(JsonNode content) {
        List<Part> parts = new ArrayList<>();
        if (content.isTextual()) {
            parts.add(new Part.Text(content.asText()));
        } else if (content.isArray()) {
            for (JsonNode p : content) {
                if (p.has("text")) parts.add(new Part.Text(p.path("text").asText()));
            }
        }
        return parts;
    }

    private static List<Part> userParts(JsonNode content) {
        if (!content.isArray()) return textParts(content);
        List<Part> parts = new ArrayList<>();
        for (JsonNode p : content) {
            switch (p.path("type").asText("")) {
                case "text" -> parts.add(new Part.Text(p.path("text").asText()));
                case "image_url" -> parts.add(DataUrls.toImage(p.path("image_url").path("url").asText(null)));
                case "file" -> {
                    JsonNode file = p.path("file");
                    Part.Image asData = DataUrls.toImage(file.path("file_data").asText(null));
                    if (asData.inline()) {
                        parts.add(new Part.Document(null, asData.mediaType(), asData.data(),
                                file.path("filename").asText(null), null));
                    } else {
                        throw new TranslationException("messages", "File parts must carry 'file_data' as a data URL; file ids are not supported.");
                    }
                }
                default -> throw new TranslationException("messages",
                        "Unsupported content part type: '" + p.path("type").asText("") + "'.");
            }
        }
        return parts;
    }

    private static List<Part> assistantParts(JsonNode m, Map<String, String> callNames) {
        List<Part> parts = new ArrayList<>();
        // 1.5: DeepSeek-style reasoning text; kept apart from content, it has no signature to replay elsewhere
        String reasoning = m.hasNonNull("reasoning_content") ? m.get("reasoning_content").asText() : null;
        if (reasoning != null && !reasoning.isEmpty()) parts.add(new Part.Thinking(reasoning, null, null));
        JsonNode content = m.path("content");
        if (content.isArray()) {
            for (JsonNode p : content) {
                String text = p.has("text") ? p.path("text").asText() : p.path("refusal").asText(null);
                if (text != null) parts.add(new Part.Text(text));
            }
        } else if (content.isTextual()) {
            parts.add(new Part.Text(content.asText()));
        }
        for (JsonNode call : m.path("tool_calls")) {
            String id = call.path("id").asText(null);
            String name = call.path("function").path("name").asText(null);
            callNames.put(id, name);
            parts.add(new Part.ToolCall(id, name, call.path("function").path("arguments").asText("")));
        }
        return parts;
    }

    private static List<Tool> tools(JsonNode tools) {
        List<Tool> out = new ArrayList<>();
        for (JsonNode t : tools) {
            if (!"function".equals(t.path("type").asText("function"))) {
                throw new TranslationException("tools", "Only function tools can be translated; got '" + t.path("type").asText() + "'.");
            }
            JsonNode f = t.path("function");
            out.add(new Tool(f.path("name").asText(null), f.path("description").asText(null),
                    f.hasNonNull("parameters") ? f.get("parameters") : null,
                    f.path("strict").isBoolean() ? f.get("strict").asBoolean() : null, null));
        }
        return out;
    }

    /** protocols.md 5.4 table, OpenAI column. {@code allowed_tools} keeps only its mode (the subset is lost). */
    private static ToolChoice toolChoice(JsonNode c) {
        if (c.isTextual()) {
            return switch (c.asText()) {
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default -> ToolChoice.AUTO;
            };
        }
        if (c.isObject()) {
            return switch (c.path("type").asText("")) {
                case "function" -> new ToolChoice.Named(c.path("function").path("name").asText());
                case "allowed_tools" -> "required".equals(c.path("allowed_tools").path("mode").asText())
                        ? ToolChoice.REQUIRED : ToolChoice.AUTO;
                default -> ToolChoice.AUTO;
            };
        }
        return null;
    }

    private static ResponseFormat responseFormat(JsonNode f) {
        return switch (f.path("type").asText("")) {
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> {
                JsonNode s = f.path("json_schema");
                yield new ResponseFormat.JsonSchema(s.path("name").asText(null), s.get("schema"),
                        s.path("strict").isBoolean() ? s.get("strict").asBoolean() : null);
            }
            case "text" -> new ResponseFormat.Text();
            default -> null;
        };
    }

    private static List<String> stop(JsonNode stop) {
        if (stop.isTextual()) return List.of(stop.asText());
        List<String> out = new ArrayList<>();
        for (JsonNode s : stop) out.add(s.asText());
        return out;
    }

    // ---------------------------------------------------------------- canonical → upstream

    public static ObjectNode fromCanonical(ChatRequest req, String upstreamModel, ModelLimits limits) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("model", upstreamModel);
        ArrayNode messages = out.putArray("messages");
        String systemText = joinText(req.system());
        // 5.1: "system", not "developer": many compat upstreams do not know developer
        if (!systemText.isEmpty()) messages.addObject().put("role", "system").put("content", systemText);
        for (Message m : req.messages()) {
            switch (m.role()) {
                case ASSISTANT -> addAssistant(messages, m);
                case USER -> addUser(messages, m);
                // a system turn stays where the client put it (Chat takes system messages anywhere)
                case SYSTEM -> {
                    String text = joinText(m.parts());
                    if (!text.isEmpty()) messages.addObject().put("role", "system").put("content", text);
                }
            }
        }

        if (!req.tools().isEmpty()) {
            ArrayNode tools = out.putArray("tools");
            for (Tool t : req.tools()) tools.add(tool(t));
            // pitfall 27: tool_choice and parallel_tool_calls only with tools
            if (req.toolChoice() != null) out.set("tool_choice", toolChoice(req.toolChoice()));
            if (Boolean.FALSE.equals(req.parallelToolCalls())) out.put("parallel_tool_calls", false);
        }

        Sampling s = req.sampling();
        if (s.temperature() != null) out.put("temperature", s.temperature());
        if (s.topP() != null) out.put("top_p", s.topP());
        if (!s.stopSequences().isEmpty()) {
            ArrayNode stop = out.putArray("stop");
            s.stopSequences().forEach(stop::add);
        }
        int maxOut = req.maxOutputTokens() == null ? 0 : Math.min(req.maxOutputTokens(), limits.maxOutputTokens());
        if (maxOut > 0) {
            // pitfall 25: reasoning models reject max_tokens; compat servers document only max_tokens (pitfall 44)
            out.put(limits.supportsReasoning() ? "max_completion_tokens" : "max_tokens", maxOut);
        }
        String effort = reasoningEffort(req.reasoning());
        if (effort != null && limits.supportsReasoning()) out.put("reasoning_effort", effort);
        if (req.responseFormat() != null) out.set("response_format", responseFormat(req.responseFormat()));
        if (req.stream()) {
            out.put("stream", true);
            // DESIGN 5.4: always ask, so usage is never missing whatever the client asked
            out.putObject("stream_options").put("include_usage", true);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = req.extensions() == null ? java.util.Collections.emptyIterator()
                : req.extensions().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (FORWARDED_EXTENSIONS.contains(e.getKey())) out.set(e.getKey(), e.getValue());
        }
        // metadata is dropped on purpose: OpenAI ties it to store:true (pitfall 28)
        return out;
    }

    private static String reasoningEffort(Reasoning r) {
        if (r == null || !r.enabled()) return null;
        if (r.effort() != null) return r.effort();
        return r.budgetTokens() == null ? null : effortForBudget(r.budgetTokens());
    }

    private static void addAssistant(ArrayNode messages, Message m) {
        ObjectNode msg = Json.MAPPER.createObjectNode().put("role", "assistant");
        String text = joinText(m.parts());
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (Part p : m.parts()) {
            if (p instanceof Part.ToolCall c) {
                ObjectNode call = calls.addObject();
                call.put("id", ToolIds.forOpenAi(c.id()));
                call.put("type", "function");
                call.putObject("function").put("name", c.name())
                        .put("arguments", c.argumentsJson() == null || c.argumentsJson().isEmpty() ? "{}" : c.argumentsJson());
            }
        }
        // thinking parts are dropped: Chat has no field for them and signatures cannot be replayed (5.9)
        if (text.isEmpty() && calls.isEmpty()) return;
        if (text.isEmpty()) msg.putNull("content");
        else msg.put("content", text);
        if (!calls.isEmpty()) msg.set("tool_calls", calls);
        messages.add(msg);
    }

    /** 5.5 grouping: tool results first, one {@code tool} message each, then the rest as one user message. */
    private static void addUser(ArrayNode messages, Message m) {
        List<Part> rest = new ArrayList<>();
        for (Part p : m.parts()) {
            if (p instanceof Part.ToolResult r) {
                String text = joinText(r.parts());
                if (r.isError()) text = "Error: " + text;  // 5.5: Chat has no is_error flag
                for (Part inner : r.parts()) {
                    // pitfall 13: a tool message holds text only, so its images follow in a user message
                    if (inner instanceof Part.Image) {
                        rest.add(inner);
                        text = text + (text.isEmpty() ? "" : "\n") + "[image attached below]";
                    }
                }
                messages.addObject().put("role", "tool").put("tool_call_id", ToolIds.forOpenAi(r.callId())).put("content", text);
            } else {
                rest.add(p);
            }
        }
        if (rest.isEmpty()) return;
        if (rest.stream().allMatch(p -> p instanceof Part.Text)) {
            String text = joinText(rest);
            if (!text.isEmpty()) messages.addObject().put("role", "user").put("content", text);
            return;
        }
        ObjectNode msg = messages.addObject().put("role", "user");
        ArrayNode content = msg.putArray("content");
        for (Part p : rest) {
            switch (p) {
                case Part.Text t -> content.addObject().put("type", "text").put("text", t.text());
                case Part.Image i -> content.addObject().put("type", "image_url").putObject("image_url")
                        .put("url", i.inline() ? DataUrls.of(i.mediaType(), i.data()) : i.url());
                case Part.Document d -> {
                    ObjectNode file = content.addObject().put("type", "file").putObject("file");
                    file.put("file_data", DataUrls.of(d.mediaType(), d.data()));
                    if (d.filename() != null) file.put("filename", d.filename());
                }
                default -> { }
            }
        }
    }

    private static ObjectNode tool(Tool t) {
        ObjectNode tool = Json.MAPPER.createObjectNode().put("type", "function");
        ObjectNode f = tool.putObject("function");
        f.put("name", t.name());
        if (t.description() != null) f.put("description", t.description());
        if (t.inputSchema() != null && t.inputSchema().isObject()) {
            ObjectNode schema = t.inputSchema().deepCopy();
            // Claude Code sends "$schema" (draft 2020-12); strict OpenAI and some compat servers reject the keyword
            schema.remove("$schema");
            f.set("parameters", schema);
        }
        if (t.strict() != null) f.put("strict", t.strict());
        return tool;
    }

    private static JsonNode toolChoice(ToolChoice c) {
        return switch (c) {
            case ToolChoice.Auto a -> Json.MAPPER.getNodeFactory().textNode("auto");
            case ToolChoice.None n -> Json.MAPPER.getNodeFactory().textNode("none");
            case ToolChoice.Required r -> Json.MAPPER.getNodeFactory().textNode("required");
            case ToolChoice.Named n -> {
                ObjectNode o = Json.MAPPER.createObjectNode().put("type", "function");
                o.putObject("function").put("name", n.name());
                yield o;
            }
        };
    }

    private static ObjectNode responseFormat(ResponseFormat f) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        switch (f) {
            case ResponseFormat.Text t -> o.put("type", "text");
            case ResponseFormat.JsonObject j -> o.put("type", "json_object");
            case ResponseFormat.JsonSchema s -> {
                o.put("type", "json_schema");
                ObjectNode js = o.putObject("json_schema");
                // 5.10: a name is required; LiteLLM uses "structured_output"
                js.put("name", s.name() == null ? "structured_output" : s.name());
                if (s.schema() != null) js.set("schema", s.schema());
                if (s.strict() != null) js.put("strict", s.strict());
            }
        }
        return o;
    }

    static String joinText(List<Part> parts) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Part.Text t && !t.text().isEmpty()) {
                if (!sb.isEmpty()) sb.append("\n\n");
                sb.append(t.text());
            }
        }
        return sb.toString();
    }
}
