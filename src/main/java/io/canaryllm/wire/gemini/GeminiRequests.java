package io.canaryllm.wire.gemini;

import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.TranslationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.Reasoning;
import io.canaryllm.canonical.ResponseFormat;
import io.canaryllm.canonical.Sampling;
import io.canaryllm.canonical.Tool;
import io.canaryllm.canonical.ToolChoice;
import io.canaryllm.core.Json;

import java.util.Map;

/**
 * Canonical request → Gemini {@code generateContent} body (protocols.md 4.2). The model goes in the URL
 * ({@code /v1beta/models/{model}:generateContent}, or {@code :streamGenerateContent?alt=sse}), not the body, and
 * streaming is chosen by that path, not by a body flag (5.2). Gemini is upstream-only: there is no
 * {@code toCanonical}. Turns are built by {@link GeminiContents}.
 */
public final class GeminiRequests {

    /** Effort → {@code thinkingBudget} (5.2, LiteLLM defaults; "minimal" in Gemini's 128–512 range). */
    static final Map<String, Integer> BUDGET_FOR_EFFORT = Map.of(
            "minimal", 512, "low", 1024, "medium", 2048, "high", 4096, "xhigh", 8192, "max", 24576);

    /** The largest budget every 2.5 model takes (Flash: 24576; Pro allows 32768). */
    static final int MAX_THINKING_BUDGET = 24576;

    /** 5.2: {@code stopSequences} takes at most 5. */
    static final int MAX_STOP_SEQUENCES = 5;

    private GeminiRequests() {}

    /** @throws TranslationException when the request cannot be expressed (the caller answers 400) */
    public static ObjectNode fromCanonical(ChatRequest request, ModelLimits limits) {
        // Gemini has no system turn inside contents: a system turn joins systemInstruction, in order, rather than
        // becoming a user turn (the model would take the instruction for the user's words)
        ChatRequest req = request.withSystemTurnsFolded();
        ObjectNode out = Json.MAPPER.createObjectNode();

        // 5.1: one text part per system text, in order
        ArrayNode system = Json.MAPPER.createArrayNode();
        for (Part p : req.system()) {
            if (p instanceof Part.Text t && t.text() != null && !t.text().isEmpty()) system.addObject().put("text", t.text());
        }
        if (!system.isEmpty()) out.putObject("systemInstruction").set("parts", system);
        out.set("contents", GeminiContents.build(req.messages()));

        // 5.3/5.4: all functions in ONE functionDeclarations list; toolConfig only with declarations
        if (!req.tools().isEmpty()) {
            ArrayNode declarations = out.putArray("tools").addObject().putArray("functionDeclarations");
            for (Tool t : req.tools()) declarations.add(declaration(t));
            ObjectNode config = toolConfig(req.toolChoice());
            if (config != null) out.putObject("toolConfig").set("functionCallingConfig", config);
        }

        ObjectNode generation = generationConfig(req, limits);
        if (!generation.isEmpty()) out.set("generationConfig", generation);
        return out;
    }

    private static ObjectNode declaration(Tool t) {
        ObjectNode d = Json.MAPPER.createObjectNode().put("name", t.name());
        if (t.description() != null && !t.description().isEmpty()) d.put("description", t.description());
        // 5.3: a function without arguments carries no schema at all (pitfall 36)
        ObjectNode parameters = GeminiSchemas.forParameters(t.inputSchema());
        if (parameters != null) d.set("parameters", parameters);
        return d;
    }

    /** protocols.md 5.4, Gemini column: {@code functionCallingConfig} for each canonical choice; null = Gemini's AUTO. */
    static ObjectNode toolConfig(ToolChoice choice) {
        if (choice == null) return null;
        ObjectNode c = Json.MAPPER.createObjectNode();
        switch (choice) {
            case ToolChoice.Auto a -> c.put("mode", "AUTO");
            case ToolChoice.None n -> c.put("mode", "NONE");
            case ToolChoice.Required r -> c.put("mode", "ANY");
            case ToolChoice.Named n -> {
                c.put("mode", "ANY");
                c.putArray("allowedFunctionNames").add(n.name());
            }
        }
        return c;
    }

    /** 5.2: sampling, length, format and thinking knobs all live inside {@code generationConfig}. */
    private static ObjectNode generationConfig(ChatRequest req, ModelLimits limits) {
        ObjectNode g = Json.MAPPER.createObjectNode();
        // no client cap: Gemini's default is the model's maximum, so nothing is sent
        if (req.maxOutputTokens() != null) g.put("maxOutputTokens", Math.min(req.maxOutputTokens(), limits.maxOutputTokens()));
        Sampling s = req.sampling();
        if (s.temperature() != null) g.put("temperature", s.temperature());
        if (s.topP() != null) g.put("topP", s.topP());
        if (s.topK() != null) g.put("topK", s.topK());
        if (!s.stopSequences().isEmpty()) {
            if (s.stopSequences().size() > MAX_STOP_SEQUENCES) {
                // dropping some would change when the answer ends: refuse rather than guess (5.2 rules)
                throw new TranslationException("stop", "Gemini accepts at most " + MAX_STOP_SEQUENCES + " stop sequences.");
            }
            ArrayNode stops = g.putArray("stopSequences");
            s.stopSequences().forEach(stops::add);
        }
        switch (req.responseFormat()) {
            case ResponseFormat.JsonObject j -> g.put("responseMimeType", "application/json");
            case ResponseFormat.JsonSchema js -> {
                // 5.10: responseSchema is the same OpenAPI subset as function parameters
                g.put("responseMimeType", "application/json");
                if (js.schema() != null && js.schema().isObject()) g.set("responseSchema", GeminiSchemas.sanitize(js.schema()));
            }
            case null, default -> { }
        }
        Integer budget = thinkingBudget(req.reasoning(), limits);
        if (budget != null) g.putObject("thinkingConfig").put("thinkingBudget", budget).put("includeThoughts", true);
        return g;
    }

    /**
     * 5.2: a budget from the client's budget or effort; null (Gemini's default) when the client did not ask, or
     * switched reasoning off: budget 0 is rejected by models that always think (2.5 Pro, Gemini 3), so "off" is not
     * forced on them.
     */
    static Integer thinkingBudget(Reasoning r, ModelLimits limits) {
        if (r == null || !r.enabled() || !limits.supportsReasoning()) return null;
        Integer budget = r.budgetTokens();
        if (budget == null) {
            if (r.effort() == null || "none".equals(r.effort())) return null;
            budget = BUDGET_FOR_EFFORT.getOrDefault(r.effort(), 2048);
        }
        return Math.max(1, Math.min(budget, MAX_THINKING_BUDGET));
    }
}
