package io.canaryllm.validate;

import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.canaryllm.validate.ShapeWalker.Path;

import java.io.IOException;
import java.util.Map;

/**
 * Reads an OpenAI Chat, Anthropic Messages or OpenAI Responses request without building a tree: one streaming pass
 * validates it (the known fields' types, roles, blocks, tool-call ids: {@link RequestShapes}) and records where the
 * model string sits, so a same-wire upstream body is the client's bytes with only {@code model} replaced. The body is
 * read, never rewritten: everything else, including fields we do not know, goes up untouched.
 */
public final class RequestReader {
    private RequestReader() {}

    /** What the gateway read from the request. */
    public record ChatRequest(String model, boolean stream, byte[] body, int modelStart, int modelEnd) {
        /** The body with {@code model} replaced by {@code upstreamModel}. */
        public byte[] withModel(String upstreamModel) {
            byte[] name = Json.bytes(upstreamModel);
            byte[] out = new byte[body.length - (modelEnd - modelStart) + name.length];
            System.arraycopy(body, 0, out, 0, modelStart);
            System.arraycopy(name, 0, out, modelStart, name.length);
            System.arraycopy(body, modelEnd, out, modelStart + name.length, body.length - modelEnd);
            return out;
        }
    }

    public static ChatRequest read(byte[] body) { return read(body, ClientProtocol.OPENAI_CHAT, false); }

    /**
     * Reads and validates a model request of {@code protocol} ({@link RequestShapes}, {@link Conversations}): a wrong
     * JSON type, an unknown role, a block without a type or a tool result without its call is a 400 naming the
     * field, before anything is routed. Fields nobody describes pass unchecked.
     *
     * @param counting Anthropic's count_tokens: {@code max_tokens} is not required there
     */
    public static ChatRequest read(byte[] body, ClientProtocol protocol, boolean counting) {
        if (body == null || body.length == 0) throw GatewayError.badRequest(null, "The request body is empty: send a JSON object.");
        boolean responses = protocol == ClientProtocol.RESPONSES;
        Map<String, Shape> fields = switch (protocol) {
            case ANTHROPIC -> RequestShapes.ANTHROPIC;
            case RESPONSES -> RequestShapes.RESPONSES;
            default -> RequestShapes.CHAT;
        };
        String conversation = responses ? "input" : "messages";
        String model = null;
        int modelStart = -1, modelEnd = -1;
        boolean sawMessages = false, sawMaxTokens = false, stateful = false;
        boolean stream = false;
        GatewayError unmatchedOutput = null;
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw GatewayError.badRequest(null, "The request body must be a JSON object.");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals(conversation)) {
                    sawMessages = true;
                    Path at = Path.of(field);
                    if (responses && t == JsonToken.VALUE_STRING) continue;
                    if (t != JsonToken.START_ARRAY) throw ShapeWalker.wrongType(at, responses ? Shape.STRING | Shape.ARRAY : Shape.ARRAY, t);
                    switch (protocol) {
                        case ANTHROPIC -> Conversations.anthropicMessages(p, at);
                        case RESPONSES -> unmatchedOutput = Conversations.responsesInput(p, at);
                        default -> Conversations.chatMessages(p, at);
                    }
                    continue;
                }
                switch (field) {
                    case "model" -> {
                        if (t != JsonToken.VALUE_STRING) throw ShapeWalker.wrongType(Path.of("model"), Shape.STRING, t);
                        modelStart = (int) p.currentTokenLocation().getByteOffset();
                        model = p.getText();
                        modelEnd = (int) p.currentLocation().getByteOffset();
                        continue;
                    }
                    case "stream" -> stream = t == JsonToken.VALUE_TRUE;
                    case "max_tokens" -> sawMaxTokens = true;
                    case "previous_response_id", "conversation" -> stateful |= t != JsonToken.VALUE_NULL;
                    default -> { }
                }
                Shape shape = fields.get(field);
                if (shape == null) p.skipChildren();
                else ShapeWalker.walk(p, t, shape, Path.of(field));
            }
            if (p.nextToken() != null) throw GatewayError.badRequest(null, "Unexpected content after the JSON object.");
            if (body.length > Json.FACTORY.streamReadConstraints().getMaxStringLength()) stringsWithinLimits(body);
        } catch (StreamConstraintsException e) {
            throw GatewayError.badRequest(null, "The request body exceeds the gateway's JSON limits: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw GatewayError.badRequest(null, "The request body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ").");
        } catch (IOException e) {
            throw GatewayError.badRequest(null, "The request body could not be read: " + e.getMessage());
        }
        if (model == null || model.isBlank()) throw GatewayError.badRequest("model", "Missing required parameter: 'model'.");
        if (!sawMessages) throw GatewayError.badRequest(conversation, "Missing required parameter: '" + conversation + "'.");
        // Anthropic's own wording; its count endpoint takes no max_tokens
        if (protocol == ClientProtocol.ANTHROPIC && !counting && !sawMaxTokens) throw GatewayError.badRequest("max_tokens", "max_tokens is required");
        // with stored state the call may be in the earlier turns (StoredResponses splices ours in before this runs)
        if (unmatchedOutput != null && !stateful) throw unmatchedOutput;
        return new ChatRequest(model, stream, body, modelStart, modelEnd);
    }

    /**
     * Skipped values are not decoded, so Jackson's string length limit (20 M characters) is only met when a later
     * step reads the body into a tree: for the rare body long enough to hold such a string, every string is read now,
     * so the caller gets a 400 rather than a failure further on.
     */
    private static void stringsWithinLimits(byte[] body) throws IOException {
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) if (t == JsonToken.VALUE_STRING) p.getText();
        }
    }
}
