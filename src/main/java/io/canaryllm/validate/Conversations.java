package io.canaryllm.validate;

import io.canaryllm.core.GatewayError;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.canaryllm.validate.ShapeWalker.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.canaryllm.validate.ShapeWalker.missing;
import static io.canaryllm.validate.ShapeWalker.notOneOf;
import static io.canaryllm.validate.ShapeWalker.walk;
import static io.canaryllm.validate.ShapeWalker.wrongType;

/**
 * The conversation of a request, walked in one streaming pass: every message or input item has a known role, every
 * block a {@code type}, and every tool result answers a tool call made earlier in the same conversation (what the
 * official APIs refuse with a 400, and what a translation to another provider could otherwise only guess at).
 * Block types the gateway does not know pass, so new kinds of content keep working.
 */
final class Conversations {
    private Conversations() {}

    /** OpenAI Chat {@code messages} (protocols.md 1.2); the parser is on the array's start. */
    static void chatMessages(JsonParser p, Path at) throws IOException {
        Set<String> calls = new HashSet<>();
        int i = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Path m = at.index(i++);
            if (t != JsonToken.START_OBJECT) throw wrongType(m, Shape.OBJECT, t);
            String role = null, answers = null;
            boolean hasContent = false;
            List<String> made = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "role" -> role = string(p, v, m.field("role"));
                    case "content" -> {
                        hasContent = v != JsonToken.VALUE_NULL;
                        walk(p, v, RequestShapes.CHAT_CONTENT, m.field("content"));
                    }
                    case "tool_call_id" -> answers = string(p, v, m.field("tool_call_id"));
                    case "tool_calls" -> made = chatToolCalls(p, v, m.field("tool_calls"));
                    default -> skipOrWalk(p, v, RequestShapes.CHAT_MESSAGE.get(field), m, field);
                }
            }
            if (role == null) throw missing(m.field("role"));
            if (!RequestShapes.CHAT_ROLES.contains(role)) throw notOneOf(m.field("role"), role, RequestShapes.CHAT_ROLES);
            // only an assistant turn may be empty (its tool_calls carry it)
            if (!hasContent && !role.equals("assistant")) throw missing(m.field("content"));
            if (role.equals("tool")) {
                if (answers == null) throw missing(m.field("tool_call_id"));
                if (!calls.contains(answers)) throw unanswerable(m, "tool_call_id", answers, "a message with role 'tool' must answer a tool call of an earlier assistant message");
            }
            if (made != null) calls.addAll(made);
        }
        if (i == 0) throw GatewayError.badRequest(at.toString(), "'" + at + "' must contain at least one message.");
    }

    private static List<String> chatToolCalls(JsonParser p, JsonToken t, Path at) throws IOException {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_ARRAY) throw wrongType(at, Shape.ARRAY, t);
        List<String> ids = new ArrayList<>(2);
        int i = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Path call = at.index(i++);
            if (t != JsonToken.START_OBJECT) throw wrongType(call, Shape.OBJECT, t);
            String id = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("id")) id = string(p, v, call.field("id"));
                else skipOrWalk(p, v, RequestShapes.CHAT_TOOL_CALL.get(field), call, field);
            }
            if (id == null) throw missing(call.field("id"));
            ids.add(id);
        }
        return ids;
    }

    /** Anthropic Messages {@code messages} (protocols.md 2.1, 2.2), with the beta {@code role: "system"} message. */
    static void anthropicMessages(JsonParser p, Path at) throws IOException {
        Set<String> uses = new HashSet<>();
        int i = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Path m = at.index(i++);
            if (t != JsonToken.START_OBJECT) throw wrongType(m, Shape.OBJECT, t);
            String role = null;
            boolean hasContent = false;
            Turn turn = new Turn();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "role" -> role = string(p, v, m.field("role"));
                    case "content" -> {
                        Path content = m.field("content");
                        if (v == JsonToken.START_ARRAY) {
                            int j = 0;
                            JsonToken b;
                            while ((b = p.nextToken()) != JsonToken.END_ARRAY) anthropicBlock(p, b, content.index(j++), turn);
                        } else if (v != JsonToken.VALUE_STRING) {
                            throw wrongType(content, Shape.STRING | Shape.ARRAY, v);
                        }
                        hasContent = true;
                    }
                    case "clear_at" -> walk(p, v, RequestShapes.CLEAR_AT, m.field("clear_at"));
                    case "output_config" -> walk(p, v, RequestShapes.MESSAGE_OUTPUT_CONFIG, m.field("output_config"));
                    default -> p.skipChildren();
                }
            }
            if (role == null) throw missing(m.field("role"));
            if (!RequestShapes.ANTHROPIC_ROLES.contains(role)) throw notOneOf(m.field("role"), role, RequestShapes.ANTHROPIC_ROLES);
            if (!hasContent) throw missing(m.field("content"));
            if (role.equals("system") && turn.turnOnly != null) {
                throw GatewayError.badRequest(turn.turnOnly.toString(), "Invalid '" + turn.turnOnly + "': a message with role 'system' takes only "
                        + "text, tool_addition and tool_removal blocks.");
            }
            for (int r = 0; r < turn.results.size(); r++) {
                if (!uses.contains(turn.results.get(r))) {
                    throw unanswerable(turn.resultPaths.get(r), "tool_use_id", turn.results.get(r),
                            "a tool_result block must answer a tool_use block of an earlier assistant message");
                }
            }
            uses.addAll(turn.uses);
        }
        if (i == 0) throw GatewayError.badRequest(at.toString(), "'" + at + "' must contain at least one message.");
    }

    /** What one Anthropic message's blocks hold, checked when the message ends (its role may come after them). */
    private static final class Turn {
        final List<String> uses = new ArrayList<>(1);
        final List<String> results = new ArrayList<>(1);
        final List<Path> resultPaths = new ArrayList<>(1);
        Path turnOnly;
    }

    private static void anthropicBlock(JsonParser p, JsonToken t, Path at, Turn turn) throws IOException {
        if (t != JsonToken.START_OBJECT) throw wrongType(at, Shape.OBJECT, t);
        String type = null, id = null, answers = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "type" -> type = string(p, v, at.field("type"));
                case "id" -> id = string(p, v, at.field("id"));
                case "tool_use_id" -> answers = string(p, v, at.field("tool_use_id"));
                case "content" -> {
                    Path content = at.field("content");
                    if (v == JsonToken.START_ARRAY) {
                        int j = 0;
                        JsonToken b;
                        while ((b = p.nextToken()) != JsonToken.END_ARRAY) {
                            walk(p, b, RequestShapes.ANTHROPIC_NESTED_BLOCK, content.index(j++));
                        }
                    } else if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                        throw wrongType(content, Shape.STRING | Shape.ARRAY, v);
                    }
                }
                default -> skipOrWalk(p, v, RequestShapes.ANTHROPIC_BLOCK.get(field), at, field);
            }
        }
        if (type == null) throw missing(at.field("type"));
        if (type.equals("tool_result")) {
            if (answers == null) throw missing(at.field("tool_use_id"));
            turn.results.add(answers);
            turn.resultPaths.add(at);
        } else if (id != null && type.endsWith("tool_use")) {
            turn.uses.add(id); // tool_use, server_tool_use, mcp_tool_use
        }
        if (turn.turnOnly == null && RequestShapes.ANTHROPIC_TURN_BLOCKS.contains(type)) turn.turnOnly = at;
    }

    /**
     * OpenAI Responses {@code input} items (protocols.md 3.2). An item with a role and no type is a message, as
     * OpenAI takes it. Returns the first tool output whose call is not in this input, or null: the caller decides,
     * since with {@code previous_response_id} or {@code conversation} the call may be in the stored conversation.
     */
    static GatewayError responsesInput(JsonParser p, Path at) throws IOException {
        Set<String> calls = new HashSet<>();
        GatewayError unmatched = null;
        int i = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Path item = at.index(i++);
            if (t != JsonToken.START_OBJECT) throw wrongType(item, Shape.OBJECT, t);
            String type = null, role = null, callId = null;
            boolean hasContent = false, hasOutput = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "type" -> type = string(p, v, item.field("type"));
                    case "role" -> role = string(p, v, item.field("role"));
                    case "call_id" -> callId = string(p, v, item.field("call_id"));
                    case "content" -> {
                        hasContent = v != JsonToken.VALUE_NULL;
                        walk(p, v, RequestShapes.RESPONSES_CONTENT, item.field("content"));
                    }
                    case "output" -> {
                        hasOutput = v != JsonToken.VALUE_NULL;
                        walk(p, v, RequestShapes.RESPONSES_OUTPUT, item.field("output"));
                    }
                    default -> skipOrWalk(p, v, RequestShapes.RESPONSES_ITEM.get(field), item, field);
                }
            }
            if (type == null && role == null) throw missing(item.field("type"));
            if (type == null || type.equals("message")) {
                if (role == null) throw missing(item.field("role"));
                if (!RequestShapes.RESPONSES_ROLES.contains(role)) throw notOneOf(item.field("role"), role, RequestShapes.RESPONSES_ROLES);
                if (!hasContent) throw missing(item.field("content"));
            } else if (type.equals("function_call_output") || type.equals("custom_tool_call_output")) {
                if (callId == null) throw missing(item.field("call_id"));
                if (!hasOutput) throw missing(item.field("output"));
                if (unmatched == null && !calls.contains(callId)) {
                    unmatched = unanswerable(item, "call_id", callId, "a " + type + " item must answer a call item earlier in 'input'");
                }
            } else if (callId != null && !type.endsWith("_output")) {
                calls.add(callId); // function_call, custom_tool_call, local_shell_call, computer_call …
            }
        }
        return unmatched;
    }

    private static String string(JsonParser p, JsonToken v, Path at) throws IOException {
        if (v != JsonToken.VALUE_STRING) throw wrongType(at, Shape.STRING, v);
        return p.getText();
    }

    private static void skipOrWalk(JsonParser p, JsonToken v, Shape shape, Path parent, String field) throws IOException {
        if (shape == null) p.skipChildren();
        else walk(p, v, shape, parent.field(field));
    }

    private static GatewayError unanswerable(Path at, String field, String id, String rule) {
        Path named = at.field(field);
        return GatewayError.badRequest(named.toString(), "Invalid '" + named + "': no tool call with id '" + id
                + "' precedes '" + at + "' (" + rule + ").");
    }
}
