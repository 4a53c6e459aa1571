package io.canaryllm.wire.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.Message;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.Reasoning;
import io.canaryllm.canonical.Role;
import io.canaryllm.canonical.Sampling;
import io.canaryllm.canonical.Tool;
import io.canaryllm.canonical.ToolChoice;
import io.canaryllm.core.Json;
import io.canaryllm.wire.mapping.Arguments;
import io.canaryllm.wire.mapping.ForeignThinking;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.TranslationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Canonical request → Bedrock Converse body: {@code system} text blocks, {@code messages} of alternating
 * {@code user}/{@code assistant} turns (consecutive same-role turns merged, tool results first in their user turn) whose
 * content blocks are {@code text}, {@code image} and {@code document} (inline bytes, base64 in JSON), {@code toolUse},
 * {@code toolResult} and Bedrock's own {@code reasoningContent}; {@code inferenceConfig} (maxTokens, temperature, topP,
 * stopSequences); {@code toolConfig} (tools as {@code toolSpec} with an {@code inputSchema.json}, toolChoice
 * {@code auto}/{@code any}/{@code tool}). The model is in the URL, not the body. Anthropic models also get their
 * {@code top_k} and extended thinking through {@code additionalModelRequestFields}, and {@code cachePoint} blocks where
 * the client asked for caching.
 */
public final class BedrockRequests {
    /** Effort → Claude's {@code budget_tokens} (at least 1024, Anthropic's minimum). */
    static final Map<String, Integer> BUDGET_FOR_EFFORT = Map.of(
            "minimal", 1024, "low", 2048, "medium", 8192, "high", 16384, "xhigh", 24576, "max", 32000);
    static final int MIN_THINKING_BUDGET = 1024;

    private BedrockRequests() {}

    /** @throws TranslationException when the request cannot be expressed (the caller answers 400) */
    public static ObjectNode fromCanonical(ChatRequest request, String upstreamModel, ModelLimits limits) {
        ChatRequest req = request.withSystemTurnsFolded(); // Converse has no system turn inside messages
        boolean anthropic = isAnthropic(upstreamModel);
        ObjectNode out = Json.MAPPER.createObjectNode();

        ArrayNode system = Json.MAPPER.createArrayNode();
        for (Part p : req.system()) {
            if (p instanceof Part.Text t && t.text() != null && !t.text().isBlank()) {
                system.addObject().put("text", t.text());
                if (anthropic && t.cache() != null) system.add(cachePoint());
            }
        }
        if (!system.isEmpty()) out.set("system", system);
        ArrayNode messages = messages(req.messages(), anthropic);
        out.set("messages", messages);

        Integer budget = thinkingBudget(req, limits, anthropic);
        ObjectNode inference = inferenceConfig(req, limits, budget);
        if (!inference.isEmpty()) out.set("inferenceConfig", inference);

        ObjectNode toolConfig = toolConfig(req, messagesHoldTools(messages));
        if (toolConfig != null) out.set("toolConfig", toolConfig);

        ObjectNode additional = Json.MAPPER.createObjectNode();
        if (anthropic && req.sampling().topK() != null && budget == null) additional.put("top_k", req.sampling().topK());
        if (budget != null) additional.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        if (!additional.isEmpty()) out.set("additionalModelRequestFields", additional);
        return out;
    }

    /** Claude on Bedrock: {@code anthropic.…} or a cross-region profile {@code us.anthropic.…}. */
    static boolean isAnthropic(String upstreamModel) {
        return upstreamModel != null && (upstreamModel.startsWith("anthropic.") || upstreamModel.contains(".anthropic."));
    }

    private static ObjectNode cachePoint() {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.putObject("cachePoint").put("type", "default");
        return c;
    }

    static ArrayNode messages(List<Message> turns, boolean anthropic) {
        List<Role> roles = new ArrayList<>();
        List<List<ObjectNode>> contents = new ArrayList<>();
        for (Message m : turns) {
            List<ObjectNode> blocks = new ArrayList<>();
            for (Part p : m.parts()) block(p, blocks, anthropic);
            if (blocks.isEmpty()) continue;
            int last = roles.size() - 1;
            if (last >= 0 && roles.get(last) == m.role()) {
                contents.get(last).addAll(blocks);
            } else {
                roles.add(m.role());
                contents.add(blocks);
            }
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < roles.size(); i++) {
            boolean assistant = roles.get(i) == Role.ASSISTANT;
            ObjectNode message = out.addObject().put("role", assistant ? "assistant" : "user");
            ArrayNode content = message.putArray("content");
            List<ObjectNode> blocks = contents.get(i);
            if (!assistant) {
                // the answers to a turn's calls lead the next user turn, as Claude requires
                for (ObjectNode b : blocks) if (b.has("toolResult")) content.add(b);
                for (ObjectNode b : blocks) if (!b.has("toolResult")) content.add(b);
            } else {
                blocks.forEach(content::add);
            }
        }
        return out;
    }

    private static void block(Part p, List<ObjectNode> out, boolean anthropic) {
        ObjectNode b = Json.MAPPER.createObjectNode();
        switch (p) {
            case Part.Text t -> {
                if (t.text() == null || t.text().isBlank()) return; // Converse rejects blank text blocks
                b.put("text", t.text());
            }
            case Part.Image i -> b.set("image", image(i));
            case Part.Document d -> b.set("document", document(d));
            case Part.ToolCall c -> {
                ObjectNode use = b.putObject("toolUse").put("toolUseId", c.id()).put("name", c.name());
                use.set("input", Arguments.toObject(c.argumentsJson()));
            }
            case Part.ToolResult r -> b.set("toolResult", toolResult(r));
            case Part.Thinking t -> {
                // Bedrock validates the signatures it issued: only its own reasoning goes back, signed
                String signature = ForeignThinking.bedrockSignature(t.signature());
                if (signature == null) return;
                b.putObject("reasoningContent").putObject("reasoningText")
                        .put("text", t.text() == null ? "" : t.text()).put("signature", signature);
            }
            case Part.RedactedThinking r -> {
                return; // of unknown vendor: nothing Bedrock can validate
            }
        }
        out.add(b);
        if (anthropic && p.cache() != null) out.add(cachePoint());
    }

    private static ObjectNode toolResult(Part.ToolResult r) {
        ObjectNode result = Json.MAPPER.createObjectNode().put("toolUseId", r.callId());
        ArrayNode content = result.putArray("content");
        for (Part inner : r.parts()) {
            switch (inner) {
                case Part.Text t -> { if (t.text() != null && !t.text().isEmpty()) content.addObject().put("text", t.text()); }
                case Part.Image i -> content.addObject().set("image", image(i));
                case Part.Document d -> content.addObject().set("document", document(d));
                default -> { }
            }
        }
        if (content.isEmpty()) content.addObject().put("text", r.isError() ? "error" : "(no output)");
        if (r.isError()) result.put("status", "error");
        return result;
    }

    private static ObjectNode image(Part.Image i) {
        if (!i.inline()) {
            throw new TranslationException("messages", "Bedrock takes images inline (base64 data), not by URL: "
                    + abbreviate(i.url()) + ". Send the image as a data: URL.");
        }
        String format = subtype(i.mediaType(), "png");
        if (format.equals("jpg")) format = "jpeg";
        ObjectNode image = Json.MAPPER.createObjectNode().put("format", format);
        image.putObject("source").put("bytes", i.data());
        return image;
    }

    private static ObjectNode document(Part.Document d) {
        if (d.data() == null) {
            throw new TranslationException("messages", "Bedrock takes documents inline (base64 data), not by URL.");
        }
        String format = subtype(d.mediaType(), "pdf");
        format = switch (format) {
            case "plain" -> "txt";
            case "markdown" -> "md";
            case "vnd.openxmlformats-officedocument.wordprocessingml.document" -> "docx";
            case "msword" -> "doc";
            case "vnd.openxmlformats-officedocument.spreadsheetml.sheet" -> "xlsx";
            case "vnd.ms-excel" -> "xls";
            default -> format;
        };
        // Converse allows letters, digits, single spaces, hyphens, parentheses and brackets in a document's name
        String name = d.filename() == null ? "document" : d.filename().replaceAll("\\.[A-Za-z0-9]+$", "")
                .replaceAll("[^A-Za-z0-9 ()\\[\\]-]", "-").replaceAll(" +", " ").strip();
        ObjectNode document = Json.MAPPER.createObjectNode().put("format", format).put("name", name.isEmpty() ? "document" : name);
        document.putObject("source").put("bytes", d.data());
        return document;
    }

    private static String subtype(String mediaType, String fallback) {
        if (mediaType == null) return fallback;
        int slash = mediaType.indexOf('/');
        String sub = slash < 0 ? mediaType : mediaType.substring(slash + 1);
        int semi = sub.indexOf(';');
        return (semi < 0 ? sub : sub.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String url) {
        if (url == null) return "(none)";
        return url.length() > 80 ? url.substring(0, 80) + "…" : url;
    }

    private static boolean messagesHoldTools(ArrayNode messages) {
        for (JsonNode m : messages) {
            for (JsonNode b : m.path("content")) if (b.has("toolUse") || b.has("toolResult")) return true;
        }
        return false;
    }

    /**
     * Tools and the choice. Converse has no "none": tools are left out then, unless the conversation already holds
     * tool blocks (Bedrock refuses those without a toolConfig), where the model keeps the choice.
     */
    static ObjectNode toolConfig(ChatRequest req, boolean historyHoldsTools) {
        if (req.tools().isEmpty()) return null;
        ToolChoice choice = req.toolChoice();
        if (choice instanceof ToolChoice.None && !historyHoldsTools) return null;
        ObjectNode config = Json.MAPPER.createObjectNode();
        ArrayNode tools = config.putArray("tools");
        for (Tool t : req.tools()) {
            ObjectNode spec = tools.addObject().putObject("toolSpec").put("name", t.name());
            if (t.description() != null && !t.description().isEmpty()) spec.put("description", t.description());
            JsonNode schema = t.inputSchema() != null && t.inputSchema().isObject() ? t.inputSchema()
                    : Json.MAPPER.createObjectNode().put("type", "object").set("properties", Json.MAPPER.createObjectNode());
            spec.putObject("inputSchema").set("json", schema);
        }
        switch (choice) {
            case ToolChoice.Auto a -> config.putObject("toolChoice").putObject("auto");
            case ToolChoice.Required r -> config.putObject("toolChoice").putObject("any");
            case ToolChoice.Named n -> config.putObject("toolChoice").putObject("tool").put("name", n.name());
            case null, default -> { }
        }
        return config;
    }

    private static ObjectNode inferenceConfig(ChatRequest req, ModelLimits limits, Integer budget) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        Integer max = req.maxOutputTokens() == null ? null : Math.min(req.maxOutputTokens(), limits.maxOutputTokens());
        if (budget != null) max = Math.max(max == null ? limits.maxOutputTokens() : max, budget + 1);
        if (max != null) c.put("maxTokens", max);
        Sampling s = req.sampling();
        // Claude's extended thinking takes no temperature or top_p of the client's
        if (budget == null) {
            if (s.temperature() != null) c.put("temperature", s.temperature());
            if (s.topP() != null) c.put("topP", s.topP());
        }
        if (!s.stopSequences().isEmpty()) {
            ArrayNode stops = c.putArray("stopSequences");
            s.stopSequences().forEach(stops::add);
        }
        return c;
    }

    /** Claude's thinking budget when the client asked for reasoning on a model that has it; else null. */
    static Integer thinkingBudget(ChatRequest req, ModelLimits limits, boolean anthropic) {
        Reasoning r = req.reasoning();
        if (!anthropic || r == null || !r.enabled() || !limits.supportsReasoning()) return null;
        Integer budget = r.budgetTokens();
        if (budget == null) {
            if (r.effort() == null || "none".equals(r.effort())) return null;
            budget = BUDGET_FOR_EFFORT.getOrDefault(r.effort(), 8192);
        }
        budget = Math.max(MIN_THINKING_BUDGET, budget);
        return budget >= limits.maxOutputTokens() ? null : budget;
    }
}
