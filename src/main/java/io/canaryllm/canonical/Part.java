package io.canaryllm.canonical;

import java.util.List;

/** One typed piece of a message or an answer. {@code cache} is null when the client asked for no caching. */
public sealed interface Part {

    CacheHint cache();

    record Text(String text, CacheHint cache) implements Part {
        public Text(String text) { this(text, null); }
    }

    /** An image by URL, or inline as base64 {@code data} with its media type; exactly one of url/data is set. */
    record Image(String url, String mediaType, String data, CacheHint cache) implements Part {
        public static Image ofUrl(String url) { return new Image(url, null, null, null); }
        public static Image ofData(String mediaType, String data) { return new Image(null, mediaType, data, null); }
        public boolean inline() { return data != null; }
    }

    /** A file such as a PDF, by URL or inline base64. */
    record Document(String url, String mediaType, String data, String filename, CacheHint cache) implements Part {}

    /**
     * A call the model made; {@code argumentsJson} is the JSON text as produced, possibly invalid.
     * {@code thoughtSignature} is the opaque proof some vendors (Gemini) attach to a call and require back on later
     * turns; null when there is none. Only the vendor that issued it can read it.
     */
    record ToolCall(String id, String name, String argumentsJson, CacheHint cache, String thoughtSignature) implements Part {
        public ToolCall(String id, String name, String argumentsJson, CacheHint cache) { this(id, name, argumentsJson, cache, null); }

        public ToolCall(String id, String name, String argumentsJson) { this(id, name, argumentsJson, null, null); }
    }

    /** The client's answer to a call; {@code name} is null when the wire did not say and no earlier call matched. */
    record ToolResult(String callId, String name, List<Part> parts, boolean isError, CacheHint cache) implements Part {
        public ToolResult {
            parts = List.copyOf(parts);
        }
    }

    /** Reasoning text; {@code signature} is the vendor's proof for replaying it, null when there is none. */
    record Thinking(String text, String signature, CacheHint cache) implements Part {}

    /** Reasoning the vendor encrypted; only the same vendor can read it back. */
    record RedactedThinking(String data, CacheHint cache) implements Part {}
}
