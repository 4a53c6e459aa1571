package io.canaryllm.wire.openai.responses;

import io.canaryllm.wire.mapping.DataUrls;
import io.canaryllm.wire.mapping.ToolIds;
import io.canaryllm.wire.mapping.TranslationException;
import io.canaryllm.wire.mapping.JsonFields;
import io.canaryllm.wire.sse.Sse;
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
import io.canaryllm.wire.ClientRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI Responses request bodies (protocols.md 3.1, 3.2) → {@link ChatRequest}, for the upstreams that do not speak
 * Responses (Chat, Anthropic, Gemini). What the canonical model cannot hold travels in {@link Decoded}: the names of
 * {@code custom} (freeform) tools, flattened {@code namespace} tool names, and the built-in tools that were dropped —
 * the answer codecs ({@link ResponsesResponses}, {@link ResponsesStreamEncoder}) need the first two to give the
 * client back the names and item types it declared.
 *
 * <p>Mapping choices (each cites the rule it follows):
 * <ul>
 * <li>{@code instructions}, then system/developer items, in order → system text (5.1: hoisted for Anth/Gem; Chat
 *     gets one leading system message).</li>
 * <li>Assistant-side items that follow each other (reasoning, assistant message, {@code function_call},
 *     {@code custom_tool_call}) form ONE assistant turn (5.5 "Resp → Chat" grouping); consecutive tool outputs form one
 *     user turn. Item ids ({@code msg_…}, {@code fc_…}) are not kept: tool results link by {@code call_id} (pitfall 9),
 *     and server ids cannot be replayed with {@code store:false} (pitfall 30).</li>
 * <li>{@code reasoning} items: only the gateway's own {@code encrypted_content} ({@link ResponsesReasoning}) comes back
 *     as a signed thinking part; OpenAI's encrypted reasoning and bare summaries are dropped (5.9: vendor-bound).</li>
 * <li>{@code custom} tools → a function tool with one string argument {@value #CUSTOM_ARGUMENT}; history
 *     {@code custom_tool_call.input} ↔ {@code {"input": …}}.</li>
 * <li>{@code namespace} tools → each inner tool as {@code <namespace>__<name>} ({@code [a-zA-Z0-9_-]}, ≤64, pitfall
 *     10); a history call naming a {@code namespace} is flattened the same way.</li>
 * <li>Built-in tools (web_search, file_search, computer_use…) are dropped and listed; forcing one with
 *     {@code tool_choice} is a 400.</li>
 * <li>Function tools without {@code strict} are strict, as the API does (5.3, pitfall 11).</li>
 * <li>{@code previous_response_id}, {@code conversation} and {@code item_reference} need stored state: a 400 here
 *     (pitfall 31); the endpoint resolves them first, with {@link #withPriorItems}.</li>
 * </ul>
 */
public final class ResponsesRequests {

    /** The single string argument a {@code custom} tool gets when it becomes a function tool. */
    public static final String CUSTOM_ARGUMENT = "input";

    /** OpenAI's tool-name limit (pitfall 10); flattened names are kept within it. */
    static final int MAX_NAME = 64;

    private static final String NAMESPACE_SEPARATOR = "__";

    /** Top-level fields {@link #decode} maps; everything else goes to {@code extensions} (store, include, …). */
    private static final Set<String> UNDERSTOOD = Set.of("model", "input", "instructions", "tools", "tool_choice",
            "parallel_tool_calls", "max_output_tokens", "temperature", "top_p", "text", "reasoning", "stream",
            "stream_options", "metadata", "user", "safety_identifier");

    private ResponsesRequests() {}

    /** A tool's name as the client declared it: {@code namespace} is null for a top-level tool. */
    public record ToolName(String namespace, String name) {}

    /**
     * A decoded Responses request.
     *
     * @param request         the canonical request (tool names flattened)
     * @param customTools     canonical names of tools the client declared as {@code custom} (freeform)
     * @param namespaced      canonical (flattened) name → the namespace and name the client declared
     * @param droppedBuiltins types of the built-in tools that were dropped, in request order, without duplicates
     * @param clientBody      the request as the client sent it (echoed in the response object), or null
     */
    public record Decoded(ChatRequest request, Set<String> customTools, Map<String, ToolName> namespaced,
                          List<String> droppedBuiltins, JsonNode clientBody) implements ClientRequest {
        @Override
        public ChatRequest canonical() { return request; }

        /** Built-in tools run inside OpenAI only; elsewhere they are dropped, and the answer says which. */
        @Override
        public Map<String, String> answerHeaders() {
            return droppedBuiltins.isEmpty() ? Map.of() : Map.of("x-canaryllm-dropped-tools", String.join(",", droppedBuiltins));
        }

        public Decoded {
            customTools = Set.copyOf(customTools);
            namespaced = Map.copyOf(namespaced);
            droppedBuiltins = List.copyOf(droppedBuiltins);
        }

        /** Nothing to restore: for callers that have no request at hand. */
        public static Decoded of(ChatRequest request) {
            return new Decoded(request, Set.of(), Map.of(), List.of(), null);
        }

        public boolean isCustom(String canonicalName) {
            return canonicalName != null && customTools.contains(canonicalName);
        }

        /** The name the client declared for a canonical tool name (namespace null when it had none). */
        public ToolName clientName(String canonicalName) {
            ToolName n = canonicalName == null ? null : namespaced.get(canonicalName);
            return n != null ? n : new ToolName(null, canonicalName);
        }
    }

    /** Just the canonical request; use {@link #decode} when the answer must be encoded for the client. */
    public static ChatRequest toCanonical(JsonNode body) {
        return decode(body).request();
    }

    /** @throws TranslationException when the request cannot be expressed (the caller answers 400) */
    public static Decoded decode(JsonNode body) {
        if (body == null || !body.isObject()) throw new TranslationException(null, "The request body must be a JSON object.");
        for (String stateful : List.of("previous_response_id", "conversation")) {
            if (body.hasNonNull(stateful)) {
                throw new TranslationException(stateful, "'" + stateful + "' needs a stored response; it must be resolved before translation.");
            }
        }

        Tools tools = tools(body.path("tools"));
        ToolChoice choice = toolChoice(body.path("tool_choice"), tools);

        List<Part> system = new ArrayList<>();
        if (body.path("instructions").isTextual() && !body.get("instructions").asText().isEmpty()) {
            system.add(new Part.Text(body.get("instructions").asText()));
        }
        List<Message> turns = input(body.path("input"), system, tools);

        ObjectNode extensions = Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!UNDERSTOOD.contains(f.getKey())) extensions.set(f.getKey(), f.getValue());
        }
        String user = body.hasNonNull("safety_identifier") ? body.get("safety_identifier").asText() : body.path("user").asText(null);
        ChatRequest request = new ChatRequest(body.path("model").asText(null), system, turns, tools.list, choice,
                body.path("parallel_tool_calls").isBoolean() ? body.get("parallel_tool_calls").asBoolean() : null,
                new Sampling(JsonFields.doubleOrNull(body, "temperature"), JsonFields.doubleOrNull(body, "top_p"), null, List.of()),
                body.hasNonNull("max_output_tokens") ? Integer.valueOf(body.get("max_output_tokens").asInt()) : null,
                responseFormat(body.path("text").path("format")), reasoning(body.path("reasoning")),
                body.path("stream").asBoolean(false), user, JsonFields.stringMap(body.path("metadata")), extensions);
        return new Decoded(request, tools.custom, tools.namespaced, new ArrayList<>(tools.dropped), body);
    }

    /**
     * The request with stored items put before its own input and {@code previous_response_id} removed (3.1: the
     * previous turn's {@code instructions} are not carried over). For the endpoint's response store.
     */
    public static ObjectNode withPriorItems(JsonNode body, List<JsonNode> priorItems) {
        ObjectNode out = ((ObjectNode) body).deepCopy();
        ArrayNode input = Json.MAPPER.createArrayNode();
        priorItems.forEach(input::add);
        JsonNode own = body.path("input");
        if (own.isTextual()) input.addObject().put("type", "message").put("role", "user").put("content", own.asText());
        else own.forEach(input::add);
        out.set("input", input);
        out.remove("previous_response_id");
        return out;
    }

    // ---------------------------------------------------------------- input items

    private static List<Message> input(JsonNode input, List<Part> system, Tools tools) {
        Turns turns = new Turns();
        if (input.isTextual()) {
            turns.add(Role.USER, false, List.of(new Part.Text(input.asText())));
            return turns.done();
        }
        if (!input.isArray() && !input.isMissingNode() && !input.isNull()) {
            throw new TranslationException("input", "'input' must be a string or an array of items.");
        }
        Map<String, String> callNames = new HashMap<>();
        Set<String> calls = new LinkedHashSet<>();
        Set<String> answered = new LinkedHashSet<>();
        for (JsonNode item : input) {
            String type = item.path("type").asText(item.has("role") ? "message" : "");
            switch (type) {
                case "message" -> message(item, system, turns);
                case "function_call" -> {
                    String callId = callId(item);
                    String name = canonicalName(item.path("namespace").asText(null), item.path("name").asText(null), tools);
                    callNames.put(callId, name);
                    calls.add(callId);
                    turns.add(Role.ASSISTANT, true, List.of(new Part.ToolCall(callId, name, item.path("arguments").asText(""))));
                }
                case "custom_tool_call" -> {
                    String callId = callId(item);
                    String name = canonicalName(item.path("namespace").asText(null), item.path("name").asText(null), tools);
                    callNames.put(callId, name);
                    calls.add(callId);
                    ObjectNode args = Json.MAPPER.createObjectNode().put(CUSTOM_ARGUMENT, item.path("input").asText(""));
                    turns.add(Role.ASSISTANT, true, List.of(new Part.ToolCall(callId, name, Sse.json(args))));
                }
                case "function_call_output", "custom_tool_call_output" -> {
                    String callId = item.path("call_id").asText(null);
                    answered.add(callId);
                    turns.add(Role.USER, true, List.of(new Part.ToolResult(callId, callNames.get(callId),
                            outputParts(item.path("output")), false, null)));
                }
                case "reasoning" -> {
                    // 5.9 / pitfall 30: only the gateway's own encoding can be replayed, and only to the same vendor
                    Part thinking = ResponsesReasoning.decode(item.path("encrypted_content").asText(null));
                    if (thinking != null) turns.add(Role.ASSISTANT, true, List.of(thinking));
                }
                case "item_reference" -> throw new TranslationException("input",
                        "Item references need stored items ('" + item.path("id").asText("") + "'); send the items themselves.");
                default -> { } // hosted-tool items (web_search_call, local_shell_call …): nothing another vendor can use (3.3)
            }
        }
        // pitfall 4: every upstream rejects unpaired calls and results; say so in OpenAI's words before sending
        for (String id : answered) {
            if (!calls.contains(id)) {
                throw new TranslationException("input", "No tool call found for function call output with call_id " + id + ".");
            }
        }
        for (String id : calls) {
            if (!answered.contains(id)) throw new TranslationException("input", "No tool output found for function call " + id + ".");
        }
        return turns.done();
    }

    private static String callId(JsonNode item) {
        String callId = item.path("call_id").asText(null);
        if (callId == null || callId.isEmpty()) {
            throw new TranslationException("input", "A '" + item.path("type").asText() + "' item needs a 'call_id'.");
        }
        return callId;
    }

    private static void message(JsonNode item, List<Part> system, Turns turns) {
        String role = item.path("role").asText("");
        JsonNode content = item.path("content");
        switch (role) {
            case "system", "developer" -> {
                // 5.1: developer → system for every non-OpenAI upstream; one text part per input_text
                if (content.isTextual()) system.add(new Part.Text(content.asText()));
                else for (JsonNode p : content) if (p.path("text").isTextual()) system.add(new Part.Text(p.get("text").asText()));
            }
            case "user" -> turns.add(Role.USER, false, userParts(content));
            case "assistant" -> {
                List<Part> parts = new ArrayList<>();
                if (content.isTextual()) parts.add(new Part.Text(content.asText()));
                for (JsonNode p : content) {
                    if (p.path("text").isTextual()) parts.add(new Part.Text(p.get("text").asText()));
                    else if (p.path("refusal").isTextual()) parts.add(new Part.Text(p.get("refusal").asText()));
                }
                turns.add(Role.ASSISTANT, true, parts);
            }
            default -> throw new TranslationException("input", "Unsupported message role: '" + role + "'.");
        }
    }

    /** User content and tool outputs: input_text, input_image (image_url is a string, pitfall 12), input_file. */
    private static List<Part> userParts(JsonNode content) {
        List<Part> parts = new ArrayList<>();
        if (content.isTextual()) {
            parts.add(new Part.Text(content.asText()));
            return parts;
        }
        for (JsonNode p : content) {
            switch (p.path("type").asText("")) {
                case "input_text", "output_text", "text" -> parts.add(new Part.Text(p.path("text").asText("")));
                case "input_image" -> {
                    JsonNode url = p.path("image_url");
                    if (!url.isTextual()) throw new TranslationException("input", "Images must be given by 'image_url'; file ids are not supported.");
                    parts.add(DataUrls.toImage(url.asText()));
                }
                case "input_file" -> {
                    String filename = p.path("filename").asText(null);
                    if (p.path("file_data").isTextual()) {
                        Part.Image asData = DataUrls.toImage(p.get("file_data").asText());
                        if (!asData.inline()) throw new TranslationException("input", "'file_data' must be a base64 data URL.");
                        parts.add(new Part.Document(null, asData.mediaType(), asData.data(), filename, null));
                    } else if (p.path("file_url").isTextual()) {
                        parts.add(new Part.Document(p.get("file_url").asText(), null, null, filename, null));
                    } else {
                        throw new TranslationException("input", "Files must carry 'file_data' or 'file_url'; file ids are not supported.");
                    }
                }
                default -> throw new TranslationException("input",
                        "Unsupported content part type: '" + p.path("type").asText("") + "'.");
            }
        }
        return parts;
    }

    /** {@code output} is a string or a list of input_text / input_image / input_file parts (3.2). */
    private static List<Part> outputParts(JsonNode output) {
        if (output.isTextual()) return List.of(new Part.Text(output.asText()));
        if (output.isArray()) return userParts(output);
        return output.isMissingNode() || output.isNull() ? List.of() : List.of(new Part.Text(Sse.json(output)));
    }

    /** Same-side items in a row form one turn; user messages stay separate turns (their codecs merge as needed). */
    private static final class Turns {
        private final List<Message> done = new ArrayList<>();
        private Role role;
        private boolean mergeable;
        private List<Part> parts;

        void add(Role r, boolean canMerge, List<Part> ps) {
            if (parts != null && role == r && mergeable && canMerge) {
                parts.addAll(ps);
                return;
            }
            flush();
            role = r;
            mergeable = canMerge;
            parts = new ArrayList<>(ps);
        }

        private void flush() {
            if (parts != null && !parts.isEmpty()) done.add(new Message(role, parts));
            parts = null;
        }

        List<Message> done() {
            flush();
            return done;
        }
    }

    // ---------------------------------------------------------------- tools

    private static final class Tools {
        final List<Tool> list = new ArrayList<>();
        final Set<String> custom = new LinkedHashSet<>();
        final Map<String, ToolName> namespaced = new LinkedHashMap<>();
        final Set<String> dropped = new LinkedHashSet<>();
        final Set<String> names = new LinkedHashSet<>();
    }

    private static Tools tools(JsonNode tools) {
        Tools out = new Tools();
        for (JsonNode t : tools) {
            String type = t.path("type").asText("");
            switch (type) {
                case "function", "custom" -> addTool(out, null, t);
                case "namespace" -> {
                    String ns = t.path("name").asText("");
                    for (JsonNode inner : t.path("tools")) {
                        String innerType = inner.path("type").asText("");
                        if ("function".equals(innerType) || "custom".equals(innerType)) addTool(out, ns, inner);
                        else out.dropped.add(innerType);
                    }
                }
                default -> out.dropped.add(type); // built-in: accepted, not executed (issue 5)
            }
        }
        return out;
    }

    private static void addTool(Tools out, String namespace, JsonNode t) {
        String clientName = t.path("name").asText(null);
        if (clientName == null || clientName.isEmpty()) throw new TranslationException("tools", "Every tool needs a 'name'.");
        String name = namespace == null ? clientName : flatten(namespace, clientName, out.names);
        if (!out.names.add(name)) throw new TranslationException("tools", "Tool name '" + clientName + "' is declared twice.");
        if (namespace != null) out.namespaced.put(name, new ToolName(namespace, clientName));
        String description = t.path("description").asText(null);
        if ("custom".equals(t.path("type").asText())) {
            out.custom.add(name);
            String how = "Pass the tool's whole freeform input as the string argument '" + CUSTOM_ARGUMENT + "'.";
            out.list.add(new Tool(name, description == null || description.isEmpty() ? how : description + "\n\n" + how,
                    customSchema(t.path("format")), false, null));
        } else {
            JsonNode parameters = t.hasNonNull("parameters") ? t.get("parameters") : null;
            // 5.3, pitfall 11: Responses' strict defaults to TRUE; honoured as the API does
            Boolean strict = t.path("strict").isBoolean() ? t.get("strict").asBoolean() : Boolean.TRUE;
            out.list.add(new Tool(name, description, parameters, strict, null));
        }
    }

    /** A freeform tool as a function with one string argument; its grammar, if any, explained to the model. */
    static ObjectNode customSchema(JsonNode format) {
        StringBuilder doc = new StringBuilder("The tool's whole raw input, as plain text (not JSON).");
        if ("grammar".equals(format.path("type").asText()) && format.path("definition").isTextual()) {
            doc.append(" It must match this ").append(format.path("syntax").asText("")).append(" grammar:\n")
                    .append(format.get("definition").asText());
        }
        ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "object");
        schema.putObject("properties").putObject(CUSTOM_ARGUMENT).put("type", "string").put("description", doc.toString());
        schema.putArray("required").add(CUSTOM_ARGUMENT);
        schema.put("additionalProperties", false);
        return schema;
    }

    /** {@code <namespace>__<name>} in OpenAI's alphabet, ≤64: truncated with a hash of the original when longer. */
    static String flatten(String namespace, String name, Set<String> taken) {
        String original = namespace + NAMESPACE_SEPARATOR + name;
        String flat = original.replaceAll("[^a-zA-Z0-9_-]", "_");
        if (flat.length() > MAX_NAME || taken.contains(flat)) {
            flat = flat.substring(0, Math.min(flat.length(), MAX_NAME - 9)) + "_" + ToolIds.hash8(original);
        }
        return flat;
    }

    /** The canonical name for a name (and namespace) the client wrote in history or tool_choice. */
    private static String canonicalName(String namespace, String name, Tools tools) {
        if (name == null) return null;
        if (namespace != null && !namespace.isEmpty()) {
            for (Map.Entry<String, ToolName> e : tools.namespaced.entrySet()) {
                if (e.getValue().namespace().equals(namespace) && e.getValue().name().equals(name)) return e.getKey();
            }
            return flatten(namespace, name, Set.of());
        }
        if (tools.names.contains(name)) return name;
        String found = null;
        for (Map.Entry<String, ToolName> e : tools.namespaced.entrySet()) {
            if (e.getValue().name().equals(name)) {
                if (found != null) return name; // ambiguous: leave it as the client wrote it
                found = e.getKey();
            }
        }
        return found != null ? found : name;
    }

    /** protocols.md 5.4, Resp column (flat objects, pitfall 12). */
    private static ToolChoice toolChoice(JsonNode c, Tools tools) {
        if (c.isTextual()) {
            return switch (c.asText()) {
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                case "auto" -> ToolChoice.AUTO;
                default -> throw new TranslationException("tool_choice", "Unsupported tool_choice: '" + c.asText() + "'.");
            };
        }
        if (!c.isObject()) return null;
        String type = c.path("type").asText("");
        switch (type) {
            case "function", "custom" -> {
                return new ToolChoice.Named(declared(c, tools));
            }
            case "allowed_tools" -> {
                // 5.4: no upstream but Chat has a subset switch; the tools list is filtered instead (Anth rule)
                Set<String> allowed = new LinkedHashSet<>();
                for (JsonNode t : c.path("tools")) {
                    String tt = t.path("type").asText("");
                    if ("function".equals(tt) || "custom".equals(tt)) allowed.add(declared(t, tools));
                }
                tools.list.removeIf(t -> !allowed.contains(t.name()));
                boolean required = "required".equals(c.path("mode").asText("auto"));
                if (required && allowed.size() == 1) return new ToolChoice.Named(allowed.iterator().next());
                return required ? ToolChoice.REQUIRED : ToolChoice.AUTO;
            }
            default -> throw new TranslationException("tool_choice",
                    "tool_choice '" + type + "' forces a built-in tool, which this model cannot run.");
        }
    }

    private static String declared(JsonNode choice, Tools tools) {
        String name = canonicalName(choice.path("namespace").asText(null), choice.path("name").asText(null), tools);
        if (name == null || !tools.names.contains(name)) {
            throw new TranslationException("tool_choice", "tool_choice names '" + choice.path("name").asText("") + "', which is not in 'tools'.");
        }
        return name;
    }

    // ---------------------------------------------------------------- knobs

    /** 5.10: {@code text.format} is flat here (no json_schema wrapper). */
    private static ResponseFormat responseFormat(JsonNode f) {
        return switch (f.path("type").asText("")) {
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> new ResponseFormat.JsonSchema(f.path("name").asText(null), f.get("schema"),
                    f.path("strict").isBoolean() ? f.get("strict").asBoolean() : null);
            default -> null; // "text" or absent: free text
        };
    }

    /** 5.2: {@code reasoning.effort}; a summary-only object says nothing about effort. */
    private static Reasoning reasoning(JsonNode r) {
        String effort = r.path("effort").isTextual() ? r.get("effort").asText() : null;
        if (effort == null) return null;
        return "none".equals(effort) ? Reasoning.DISABLED : new Reasoning(true, null, effort);
    }
}
