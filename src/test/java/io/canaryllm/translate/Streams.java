package io.canaryllm.translate;

import io.canaryllm.wire.sse.SseEvent;
import io.canaryllm.wire.sse.SseParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.core.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers for SSE text. */
public final class Streams {
    private Streams() {}

    public static String run(StreamTranslator t, String upstream, boolean end) {
        String out = new String(t.onUpstreamBytes(upstream.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        if (end) out += new String(t.onUpstreamEnd(), StandardCharsets.UTF_8);
        return out;
    }

    public static List<SseEvent> events(String sse) {
        SseParser p = new SseParser();
        List<SseEvent> out = new ArrayList<>(p.feed(sse.getBytes(StandardCharsets.UTF_8)));
        out.addAll(p.finish());
        return out;
    }

    public static List<JsonNode> json(String sse) {
        List<JsonNode> out = new ArrayList<>();
        for (SseEvent e : events(sse)) {
            if (e.data().equals("[DONE]")) continue;
            try {
                out.add(Json.MAPPER.readTree(e.data()));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
        return out;
    }

    static String chatChunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-X\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
                + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    static String chatUsage(int prompt, int completion, int cached) {
        return "data: {\"id\":\"chatcmpl-X\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "}}}\n\n";
    }

    static String toolStart(int index, String id, String name) {
        return chatChunk("{\"tool_calls\":[{\"index\":" + index + ",\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\""
                + name + "\",\"arguments\":\"\"}}]}", null);
    }

    static String toolArgs(int index, String jsonFragment) {
        String escaped = jsonFragment.replace("\\", "\\\\").replace("\"", "\\\"");
        return chatChunk("{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":\"" + escaped + "\"}}]}", null);
    }
}
