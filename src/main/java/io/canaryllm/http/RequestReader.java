package io.canaryllm.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Reads an OpenAI Chat or Anthropic Messages request without building a tree: one pass over the top-level fields
 * validates what the gateway needs ({@code model}, {@code messages}, {@code stream}, token limits) and records where
 * the model string sits, so a same-wire upstream body is the client's bytes with only {@code model} replaced.
 * Everything else, including fields we do not know, goes up untouched.
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

    public static ChatRequest read(byte[] body) { return read(body, false); }

    /** @param responses an OpenAI Responses request: the conversation is {@code input} (a string or a list of items) */
    public static ChatRequest read(byte[] body, boolean responses) {
        if (body == null || body.length == 0) throw GatewayError.badRequest(null, "The request body is empty: send a JSON object.");
        String model = null;
        int modelStart = -1, modelEnd = -1;
        boolean sawMessages = false;
        boolean stream = false;
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw GatewayError.badRequest(null, "The request body must be a JSON object.");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "model" -> {
                        if (t != JsonToken.VALUE_STRING) throw wrongType("model", "a string", t);
                        modelStart = (int) p.currentTokenLocation().getByteOffset();
                        model = p.getText();
                        modelEnd = (int) p.currentLocation().getByteOffset();
                    }
                    case "messages" -> {
                        if (responses) {
                            p.skipChildren();
                            continue;
                        }
                        if (t != JsonToken.START_ARRAY) throw wrongType("messages", "an array", t);
                        checkMessages(p);
                        sawMessages = true;
                    }
                    case "input" -> {
                        if (!responses) {
                            p.skipChildren();
                            continue;
                        }
                        if (t != JsonToken.START_ARRAY && t != JsonToken.VALUE_STRING) throw wrongType("input", "a string or an array", t);
                        p.skipChildren();
                        sawMessages = true;
                    }
                    case "stream" -> {
                        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE && t != JsonToken.VALUE_NULL) {
                            throw wrongType("stream", "a boolean", t);
                        }
                        stream = t == JsonToken.VALUE_TRUE;
                    }
                    case "max_tokens", "max_completion_tokens" -> {
                        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NULL) throw wrongType(field, "an integer", t);
                    }
                    case "stream_options" -> {
                        if (t != JsonToken.START_OBJECT && t != JsonToken.VALUE_NULL) throw wrongType("stream_options", "an object", t);
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) throw GatewayError.badRequest(null, "Unexpected content after the JSON object.");
        } catch (JsonProcessingException e) {
            throw GatewayError.badRequest(null, "The request body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ").");
        } catch (IOException e) {
            throw GatewayError.badRequest(null, "The request body could not be read: " + e.getMessage());
        }
        if (model == null || model.isBlank()) throw GatewayError.badRequest("model", "Missing required parameter: 'model'.");
        if (!sawMessages) {
            String field = responses ? "input" : "messages";
            throw GatewayError.badRequest(field, "Missing required parameter: '" + field + "'.");
        }
        return new ChatRequest(model, stream, body, modelStart, modelEnd);
    }

    private static void checkMessages(JsonParser p) throws IOException {
        int i = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) throw wrongType("messages[" + i + "]", "an object", t);
            boolean hasRole = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("role")) {
                    if (v != JsonToken.VALUE_STRING) throw wrongType("messages[" + i + "].role", "a string", v);
                    hasRole = true;
                } else {
                    p.skipChildren();
                }
            }
            if (!hasRole) throw GatewayError.badRequest("messages[" + i + "].role", "Missing required parameter: 'messages[" + i + "].role'.");
            i++;
        }
        if (i == 0) throw GatewayError.badRequest("messages", "'messages' must contain at least one message.");
    }

    private static GatewayError wrongType(String param, String expected, JsonToken got) {
        return GatewayError.badRequest(param, "Invalid type for '" + param + "': expected " + expected + ", but got " + describe(got) + ".");
    }

    private static String describe(JsonToken t) {
        if (t == null) return "nothing";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString();
        };
    }

}
