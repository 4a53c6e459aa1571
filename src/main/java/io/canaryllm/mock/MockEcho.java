package io.canaryllm.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.Usage;
import io.canaryllm.call.CallContext;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import io.canaryllm.call.StreamSource;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built-in provider {@code mock}: {@code mock/echo} answers with the caller's last user message, streamed word
 * by word when asked, with usage, in the caller's own protocol (OpenAI Chat or Anthropic Messages). It needs no network and no key, so a new user can try every endpoint at once and
 * smoke tests have a real provider to call. Token counts are estimates (four characters a token).
 */
public final class MockEcho implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        if (!call.target.model().upstream().equals("echo")) {
            throw GatewayError.modelNotFound("The mock provider has one model: mock/echo.");
        }
        JsonNode request = Json.MAPPER.readTree(call.upstreamBody);
        String text = lastUserText(request.path("messages"));
        int promptTokens = estimateTokens(request.path("messages").toString());
        List<String> words = words(text);
        long created = System.currentTimeMillis() / 1000;
        String model = call.target.model().id();
        if (call.protocol == ClientProtocol.ANTHROPIC) {
            String id = "msg_mock" + Long.toHexString(System.nanoTime());
            if (call.stream) {
                exchange.getMessage().setBody(new Frames(anthropicEvents(id, model, words, promptTokens), new Usage(promptTokens, words.size(), 0, 0, 0)));
            } else {
                ObjectNode body = Json.MAPPER.createObjectNode();
                body.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
                ArrayNode content = body.putArray("content");
                if (!text.isEmpty()) content.addObject().put("type", "text").put("text", text);
                body.put("stop_reason", "end_turn").putNull("stop_sequence");
                body.putObject("usage").put("input_tokens", promptTokens).put("output_tokens", words.size());
                answer(exchange, body);
            }
            return;
        }
        String id = "chatcmpl-mock" + Long.toHexString(System.nanoTime());
        boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        if (call.stream) {
            exchange.getMessage().setBody(new Frames(chunks(id, created, model, words, promptTokens, includeUsage), new Usage(promptTokens, words.size(), 0, 0, 0)));
        } else {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("id", id).put("object", "chat.completion").put("created", created).put("model", model);
            ObjectNode choice = body.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", text).putNull("refusal");
            choice.put("finish_reason", "stop");
            body.set("usage", usage(promptTokens, words.size()));
            answer(exchange, body);
        }
    }

    private static void answer(Exchange exchange, ObjectNode body) throws Exception {
        exchange.getMessage().setBody(Json.MAPPER.writeValueAsBytes(body));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
    }

    /** The Anthropic event sequence: message_start, one text block (none for an empty answer), message_delta, message_stop. */
    private static List<byte[]> anthropicEvents(String id, String model, List<String> words, int promptTokens) {
        List<byte[]> events = new ArrayList<>();
        ObjectNode start = Json.MAPPER.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", promptTokens).put("output_tokens", 0);
        events.add(event(start));
        if (!words.isEmpty()) {
            ObjectNode blockStart = Json.MAPPER.createObjectNode().put("type", "content_block_start").put("index", 0);
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            events.add(event(blockStart));
            for (int i = 0; i < words.size(); i++) {
                ObjectNode delta = Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", 0);
                delta.putObject("delta").put("type", "text_delta").put("text", (i == 0 ? "" : " ") + words.get(i));
                events.add(event(delta));
            }
            events.add(event(Json.MAPPER.createObjectNode().put("type", "content_block_stop").put("index", 0)));
        }
        ObjectNode end = Json.MAPPER.createObjectNode().put("type", "message_delta");
        end.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", words.size());
        events.add(event(end));
        events.add(event(Json.MAPPER.createObjectNode().put("type", "message_stop")));
        return events;
    }

    private static byte[] event(ObjectNode json) {
        return ("event: " + json.path("type").asText() + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> chunks(String id, long created, String model, List<String> words, int promptTokens,
                                       boolean includeUsage) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(chunk(id, created, model, Map.of("role", "assistant", "content", ""), null, includeUsage));
        for (int i = 0; i < words.size(); i++) {
            frames.add(chunk(id, created, model, Map.of("content", (i == 0 ? "" : " ") + words.get(i)), null, includeUsage));
        }
        frames.add(chunk(id, created, model, Map.of(), "stop", includeUsage));
        if (includeUsage) {
            ObjectNode last = base(id, created, model);
            last.putArray("choices");
            last.set("usage", usage(promptTokens, words.size()));
            frames.add(frame(last));
        }
        frames.add("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        return frames;
    }

    private static byte[] chunk(String id, long created, String model, Map<String, String> delta, String finish, boolean usageNull) {
        ObjectNode c = base(id, created, model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode d = choice.putObject("delta");
        delta.forEach(d::put);
        if (finish == null) choice.putNull("finish_reason"); else choice.put("finish_reason", finish);
        if (usageNull) c.putNull("usage");
        return frame(c);
    }

    private static ObjectNode base(String id, long created, String model) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        return c.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
    }

    private static byte[] frame(JsonNode json) {
        return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode usage(int prompt, int completion) {
        ObjectNode u = Json.MAPPER.createObjectNode();
        return u.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    }

    static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (!"user".equals(m.path("role").asText())) continue;
            JsonNode content = m.path("content");
            if (content.isTextual()) return content.asText();
            if (content instanceof ArrayNode parts) {
                StringBuilder sb = new StringBuilder();
                for (JsonNode p : parts) {
                    if ("text".equals(p.path("type").asText())) sb.append(sb.isEmpty() ? "" : "\n").append(p.path("text").asText());
                }
                return sb.toString();
            }
        }
        return "";
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.trim().split("\\s+")) if (!w.isEmpty()) out.add(w);
        return out;
    }

    static int estimateTokens(String text) { return Math.max(1, (text.length() + 3) / 4); }

    /** A stream already complete in memory. */
    private static final class Frames implements StreamSource {
        private final List<byte[]> frames;
        private final Usage usage;
        private int next;
        private volatile boolean aborted;

        Frames(List<byte[]> frames, Usage usage) {
            this.frames = frames;
            this.usage = usage;
        }

        @Override public Usage usage() { return usage; }

        @Override public boolean hasNext() { return !aborted && next < frames.size(); }
        @Override public byte[] next() { return hasNext() ? frames.get(next++) : null; }
        @Override public void abort() { aborted = true; }
        @Override public GatewayError failure() { return null; }
    }
}
