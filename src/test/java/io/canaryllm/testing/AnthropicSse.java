package io.canaryllm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading an Anthropic Messages stream the way an Anthropic SDK does. */
public final class AnthropicSse {
    private AnthropicSse() {}

    /** The content blocks the stream builds: text, thinking and signature deltas joined, tool input parsed. */
    public static ArrayNode contentBlocks(String sse) {
        ArrayNode blocks = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (String line : sse.split("\n")) {
            if (!line.startsWith("data: ")) continue;
            JsonNode e = TestGateway.jsonUnchecked(line.substring(6));
            switch (e.path("type").asText()) {
                case "content_block_start" -> blocks.add(e.path("content_block").deepCopy());
                case "content_block_delta" -> {
                    ObjectNode b = (ObjectNode) blocks.get(e.path("index").asInt());
                    JsonNode d = e.path("delta");
                    switch (d.path("type").asText()) {
                        case "text_delta" -> b.put("text", b.path("text").asText() + d.path("text").asText());
                        case "thinking_delta" -> b.put("thinking", b.path("thinking").asText() + d.path("thinking").asText());
                        case "signature_delta" -> b.put("signature", b.path("signature").asText() + d.path("signature").asText());
                        case "input_json_delta" -> b.put("partial", b.path("partial").asText() + d.path("partial_json").asText());
                        default -> { }
                    }
                }
                default -> { }
            }
        }
        for (JsonNode b : blocks) {
            if (b.has("partial")) ((ObjectNode) b).set("input", TestGateway.jsonUnchecked(((ObjectNode) b).remove("partial").asText()));
        }
        return blocks;
    }
}
