package io.canaryllm.validate;

import java.util.Map;
import java.util.Set;

import static io.canaryllm.validate.Shape.ARRAY;
import static io.canaryllm.validate.Shape.BOOLEAN;
import static io.canaryllm.validate.Shape.INTEGER;
import static io.canaryllm.validate.Shape.NUMBER;
import static io.canaryllm.validate.Shape.OBJECT;
import static io.canaryllm.validate.Shape.STRING;
import static io.canaryllm.validate.Shape.arrayOf;
import static io.canaryllm.validate.Shape.atLeast;
import static io.canaryllm.validate.Shape.object;
import static io.canaryllm.validate.Shape.oneOf;
import static io.canaryllm.validate.Shape.opt;

/**
 * The request fields the gateway checks, per client protocol, following ../shared/protocols.md: Chat 1.1 / 1.2,
 * Anthropic Messages 2.1 / 2.2 / 2.3, Responses 3.1 / 3.2. Only JSON kinds, required fields and a few enumerations
 * are checked (what the official APIs refuse with a 400 whatever the model); ranges that differ per provider
 * (temperature 0..2 or 0..1) are left to the provider. Optional fields take null, as the official SDKs may send it.
 *
 * <p>The conversation itself ({@code messages}, {@code input}) is walked by {@link Conversations}, which checks roles
 * and tool-call ids; its blocks and items use the tables here. Block tables are unions over block types (a field name
 * has one shape whatever the block's {@code type}): the walk is one streaming pass, and {@code type} need not come
 * first in an object.
 */
final class RequestShapes {
    private RequestShapes() {}

    private static final Shape STRING_LIST = arrayOf(Shape.of(STRING));
    /** {@code {"type": …, …}}: any object with a string type (a tool choice, a format, a nested block). */
    private static final Shape TYPED = object(Map.of("type", Shape.of(STRING)), "type").notNull();

    // ------------------------------------------------------------------ OpenAI Chat (protocols.md 1.1, 1.2)

    private static final Shape CHAT_FUNCTION = object(Map.of("name", Shape.of(STRING), "description", opt(STRING),
            "parameters", opt(OBJECT), "strict", opt(BOOLEAN)), "name").notNull();

    static final Map<String, Shape> CHAT = Map.ofEntries(
            Map.entry("model", Shape.of(STRING)),
            Map.entry("max_completion_tokens", atLeast(1)),
            Map.entry("max_tokens", atLeast(1)),
            Map.entry("temperature", opt(NUMBER)),
            Map.entry("top_p", opt(NUMBER)),
            Map.entry("stop", STRING_LIST.or(STRING)),
            Map.entry("n", atLeast(1)),
            Map.entry("seed", opt(INTEGER)),
            Map.entry("presence_penalty", opt(NUMBER)),
            Map.entry("frequency_penalty", opt(NUMBER)),
            Map.entry("logit_bias", opt(OBJECT)),
            Map.entry("logprobs", opt(BOOLEAN)),
            Map.entry("top_logprobs", opt(INTEGER)),
            Map.entry("stream", opt(BOOLEAN)),
            Map.entry("stream_options", object(Map.of("include_usage", opt(BOOLEAN), "include_obfuscation", opt(BOOLEAN)))),
            Map.entry("tools", arrayOf(object(Map.of("type", Shape.of(STRING), "function", CHAT_FUNCTION,
                    "custom", opt(OBJECT)), "type").notNull())),
            Map.entry("tool_choice", opt(STRING | OBJECT).withFields(TYPED)),
            Map.entry("parallel_tool_calls", opt(BOOLEAN)),
            Map.entry("functions", arrayOf(CHAT_FUNCTION)),
            Map.entry("function_call", opt(STRING | OBJECT)),
            Map.entry("response_format", TYPED.or(Shape.NULL)),
            Map.entry("reasoning_effort", opt(STRING)),
            Map.entry("verbosity", opt(STRING)),
            Map.entry("metadata", opt(OBJECT)),
            Map.entry("store", opt(BOOLEAN)),
            Map.entry("user", opt(STRING)),
            Map.entry("safety_identifier", opt(STRING)),
            Map.entry("prompt_cache_key", opt(STRING)),
            Map.entry("service_tier", opt(STRING)),
            Map.entry("modalities", arrayOf(Shape.of(STRING))),
            Map.entry("audio", opt(OBJECT)),
            Map.entry("prediction", opt(OBJECT)),
            Map.entry("web_search_options", opt(OBJECT)));

    static final Set<String> CHAT_ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /** Message fields other than role, content, tool_calls and tool_call_id (which {@link Conversations} reads). */
    static final Map<String, Shape> CHAT_MESSAGE = Map.of(
            "name", opt(STRING),
            "refusal", opt(STRING),
            "function_call", opt(OBJECT),
            "audio", opt(OBJECT));

    /** Content parts: text, image_url, input_audio, file, refusal. */
    static final Shape CHAT_PART = object(Map.of(
            "type", Shape.of(STRING),
            "text", Shape.of(STRING),
            "image_url", object(Map.of("url", Shape.of(STRING), "detail", opt(STRING)), "url").notNull(),
            "input_audio", Shape.of(OBJECT),
            "file", Shape.of(OBJECT),
            "refusal", Shape.of(STRING)), "type").notNull();

    /** A tool call in an assistant message, besides its id. */
    static final Map<String, Shape> CHAT_TOOL_CALL = Map.of(
            "type", Shape.of(STRING),
            "function", object(Map.of("name", Shape.of(STRING), "arguments", Shape.of(STRING)), "name", "arguments").notNull(),
            "custom", Shape.of(OBJECT));

    // ------------------------------------------------------------------ Anthropic Messages (protocols.md 2.1-2.3)

    private static final Shape CACHE_CONTROL = TYPED.or(Shape.NULL);

    /** Content blocks, nested ones too (tool_result content, search results). */
    static final Map<String, Shape> ANTHROPIC_BLOCK = Map.ofEntries(
            Map.entry("text", Shape.of(STRING)),
            Map.entry("source", Shape.of(OBJECT | STRING)),     // an object for image/document, a string for search_result
            Map.entry("input", Shape.of(OBJECT)),
            Map.entry("name", Shape.of(STRING)),
            Map.entry("is_error", opt(BOOLEAN)),
            Map.entry("thinking", Shape.of(STRING)),
            Map.entry("signature", Shape.of(STRING)),
            Map.entry("data", Shape.of(STRING)),
            Map.entry("title", opt(STRING)),
            Map.entry("context", opt(STRING)),
            Map.entry("citations", opt(ARRAY | OBJECT)),
            Map.entry("cache_control", CACHE_CONTROL));

    static final Map<String, Shape> ANTHROPIC = Map.ofEntries(
            Map.entry("model", Shape.of(STRING)),
            Map.entry("max_tokens", atLeast(1).notNull()),
            Map.entry("system", arrayOf(object(Map.of("type", Shape.of(STRING), "text", Shape.of(STRING),
                    "cache_control", CACHE_CONTROL), "type").notNull()).or(STRING)),
            Map.entry("stop_sequences", STRING_LIST),
            Map.entry("temperature", opt(NUMBER)),
            Map.entry("top_p", opt(NUMBER)),
            Map.entry("top_k", opt(INTEGER)),
            Map.entry("stream", opt(BOOLEAN)),
            Map.entry("tools", arrayOf(object(Map.of("name", Shape.of(STRING), "description", opt(STRING),
                    "input_schema", Shape.of(OBJECT), "type", opt(STRING), "strict", opt(BOOLEAN),
                    // no required name: some server-side tool entries have none (mcp_toolset names its server)
                    "cache_control", CACHE_CONTROL)).notNull())),
            Map.entry("tool_choice", object(Map.of("type", Shape.of(STRING), "name", Shape.of(STRING),
                    "disable_parallel_tool_use", opt(BOOLEAN)), "type")),
            Map.entry("thinking", object(Map.of("type", Shape.of(STRING), "budget_tokens", Shape.of(INTEGER),
                    "display", opt(STRING)), "type")),
            Map.entry("output_config", object(Map.of("effort", opt(STRING), "format", opt(OBJECT)))),
            Map.entry("output_format", opt(OBJECT)),
            Map.entry("metadata", object(Map.of("user_id", opt(STRING)))),
            Map.entry("service_tier", opt(STRING)),
            Map.entry("cache_control", CACHE_CONTROL),
            Map.entry("container", opt(STRING | OBJECT)),
            Map.entry("inference_geo", opt(STRING)),
            Map.entry("mcp_servers", opt(ARRAY)));

    static final Set<String> ANTHROPIC_ROLES = Set.of("user", "assistant", "system");

    /**
     * Anthropic's mid-conversation {@code role: "system"} message (a beta of the 2026 API): string content or these
     * blocks, and two fields of its own.
     */
    static final Set<String> ANTHROPIC_SYSTEM_BLOCKS = Set.of("text", "tool_addition", "tool_removal");
    /** Known block types that only belong to user or assistant turns (a system message refuses them). */
    static final Set<String> ANTHROPIC_TURN_BLOCKS = Set.of("image", "document", "tool_use", "tool_result", "thinking",
            "redacted_thinking", "server_tool_use", "search_result");
    static final Shape CLEAR_AT = oneOf("never", "next_user_message").notNull();
    static final Shape MESSAGE_OUTPUT_CONFIG = object(Map.of("effort", opt(STRING))).notNull();

    // ------------------------------------------------------------------ OpenAI Responses (protocols.md 3.1, 3.2)

    static final Map<String, Shape> RESPONSES = Map.ofEntries(
            Map.entry("model", Shape.of(STRING)),
            Map.entry("instructions", opt(STRING | ARRAY)),
            Map.entry("max_output_tokens", atLeast(1)),
            Map.entry("temperature", opt(NUMBER)),
            Map.entry("top_p", opt(NUMBER)),
            Map.entry("top_logprobs", opt(INTEGER)),
            Map.entry("tools", arrayOf(object(Map.of("type", Shape.of(STRING), "name", Shape.of(STRING),
                    "description", opt(STRING), "parameters", opt(OBJECT), "strict", opt(BOOLEAN)), "type").notNull())),
            Map.entry("tool_choice", opt(STRING | OBJECT).withFields(TYPED)),
            Map.entry("parallel_tool_calls", opt(BOOLEAN)),
            Map.entry("max_tool_calls", opt(INTEGER)),
            Map.entry("text", object(Map.of("format", TYPED.or(Shape.NULL), "verbosity", opt(STRING)))),
            Map.entry("reasoning", object(Map.of("effort", opt(STRING), "summary", opt(STRING)))),
            Map.entry("include", STRING_LIST),
            Map.entry("store", opt(BOOLEAN)),
            Map.entry("previous_response_id", opt(STRING)),
            Map.entry("conversation", opt(STRING | OBJECT)),
            Map.entry("stream", opt(BOOLEAN)),
            Map.entry("stream_options", object(Map.of("include_obfuscation", opt(BOOLEAN)))),
            Map.entry("metadata", opt(OBJECT)),
            Map.entry("user", opt(STRING)),
            Map.entry("safety_identifier", opt(STRING)),
            Map.entry("prompt_cache_key", opt(STRING)),
            Map.entry("service_tier", opt(STRING)),
            Map.entry("background", opt(BOOLEAN)),
            Map.entry("truncation", opt(STRING)),
            Map.entry("prompt", opt(OBJECT)),
            Map.entry("context_management", opt(ARRAY | OBJECT)));

    static final Set<String> RESPONSES_ROLES = Set.of("user", "assistant", "system", "developer");

    /** Content parts of message items and of tool outputs: input_text, input_image, input_file, output_text, refusal. */
    static final Shape RESPONSES_PART = object(Map.of(
            "type", Shape.of(STRING),
            "text", Shape.of(STRING),
            "image_url", opt(STRING),
            "file_id", opt(STRING),
            "file_data", Shape.of(STRING),
            "file_url", Shape.of(STRING),
            "filename", Shape.of(STRING),
            "detail", opt(STRING),
            "annotations", opt(ARRAY),
            "refusal", Shape.of(STRING)), "type").notNull();

    /** Input item fields besides type, role, content, call_id and output (which {@link Conversations} reads). */
    static final Map<String, Shape> RESPONSES_ITEM = Map.of(
            "id", opt(STRING),
            "name", Shape.of(STRING),
            "arguments", Shape.of(STRING),
            "input", Shape.of(STRING | OBJECT),
            "status", opt(STRING),
            "summary", arrayOf(TYPED),
            "encrypted_content", opt(STRING),
            "namespace", opt(STRING));

    // ------------------------------------------------------------------ conversation values (walked by Conversations)

    static final Shape CHAT_CONTENT = arrayOf(CHAT_PART).or(STRING);

    /** A block inside a block (tool_result and search_result content): the block table, with a required type. */
    static final Shape ANTHROPIC_NESTED_BLOCK = object(with(ANTHROPIC_BLOCK, "type", Shape.of(STRING),
            "content", arrayOf(TYPED).or(STRING)), "type").notNull();

    static final Shape RESPONSES_CONTENT = arrayOf(RESPONSES_PART).or(STRING);
    /** Tool output: a string, content parts, or an object (computer_call_output's screenshot). */
    static final Shape RESPONSES_OUTPUT = arrayOf(RESPONSES_PART).or(STRING | OBJECT);

    private static Map<String, Shape> with(Map<String, Shape> table, String k1, Shape v1, String k2, Shape v2) {
        Map<String, Shape> out = new java.util.HashMap<>(table);
        out.put(k1, v1);
        out.put(k2, v2);
        return Map.copyOf(out);
    }
}
