package io.canaryllm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.call.CallContext;
import io.canaryllm.core.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.Map;

/**
 * {@code count_tokens} for providers that have no counter of their own: an estimate of one token per four
 * characters of the system prompt, messages and tool definitions as JSON (the ratio OpenAI and Anthropic quote for
 * English text). The answer says so in the {@code x-canaryllm-token-count: estimated} header.
 */
public final class TokenEstimate implements Processor {
    public static final String HEADER = "x-canaryllm-token-count";

    @Override
    public void process(Exchange exchange) throws Exception {
        CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
        JsonNode request = Json.MAPPER.readTree(call.upstreamBody);
        long chars = 0;
        for (String field : new String[] {"system", "messages", "tools"}) {
            JsonNode node = request.path(field);
            if (!node.isMissingNode()) chars += node.isTextual() ? node.asText().length() : node.toString().length();
        }
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(HEADER, "estimated");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.bytes(Map.of("input_tokens", Math.max(1, (chars + 3) / 4))));
    }
}
