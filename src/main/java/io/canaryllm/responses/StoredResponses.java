package io.canaryllm.responses;

import io.canaryllm.call.ResponseBody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.catalogue.Catalogue;
import io.canaryllm.call.CallContext;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.call.RequestBody;
import io.canaryllm.core.GatewayError;
import io.canaryllm.core.Json;
import io.canaryllm.validate.RequestReader;
import io.canaryllm.wire.openai.responses.ResponsesRequests;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code previous_response_id} and {@code GET/DELETE /v1/responses/{id}}: responses the gateway translated are
 * kept (unless the caller sent {@code store: false}) with the input they answered, per key, for the configured
 * retention; a later request naming one gets that input and output replayed before its own input. An id the
 * gateway does not know goes to a provider that keeps its own (OpenAI) as it came, and is a 404 elsewhere.
 */
public final class StoredResponses {
    private static final byte[] PREVIOUS = "previous_response_id".getBytes(StandardCharsets.US_ASCII);
    private final ResponseStore store;
    private final Catalogue catalogue;

    public StoredResponses(ResponseStore store, Catalogue catalogue) {
        this.store = store;
        this.catalogue = catalogue;
    }

    /** Route step before decoding: splices a stored conversation in front of the new input. */
    public Processor resolvePrevious() {
        return exchange -> {
            Message in = exchange.getMessage();
            byte[] body = RequestBody.bytes(in.getBody());
            if (!contains(body, PREVIOUS)) return; // most requests: no parse at all
            // the client's body is checked before it is read into a tree (a hostile one is a 400, not a failure here),
            // and named by the client's own indexes, before stored turns are spliced in front of them
            RequestBody.requireJson(in.getHeader(Exchange.CONTENT_TYPE));
            RequestReader.read(body, ClientProtocol.RESPONSES, false);
            JsonNode request = Json.MAPPER.readTree(body);
            String id = request.path("previous_response_id").asText(null);
            if (id == null) return;
            CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
            var stored = store.find(id, call.key.id());
            if (stored.isEmpty()) {
                String model = request.path("model").asText("");
                boolean providerKeepsItsOwn = model.contains("/") && catalogue.provider(model.substring(0, model.indexOf('/')))
                        .map(p -> p.responses()).orElse(false);
                if (providerKeepsItsOwn) return;
                throw new GatewayError(404, "invalid_request_error", "not_found", "previous_response_id",
                        "Previous response with id '" + id + "' not found.", Map.of());
            }
            List<JsonNode> prior = new ArrayList<>();
            Json.MAPPER.readTree(stored.get().inputItems()).forEach(prior::add);
            Json.MAPPER.readTree(stored.get().response()).path("output").forEach(prior::add);
            in.setBody(Json.MAPPER.writeValueAsBytes(ResponsesRequests.withPriorItems(request, prior)));
        };
    }

    /** Keeps a translated answer for later turns; called with the request body the call was decoded from. */
    public void keep(CallContext call, byte[] requestBody, JsonNode response) {
        try {
            JsonNode request = Json.MAPPER.readTree(requestBody);
            if (request.path("store").isBoolean() && !request.path("store").asBoolean()) return;
            if (response == null || !response.path("id").isTextual() || call.key == null) return;
            ArrayNode input = Json.MAPPER.createArrayNode();
            JsonNode given = request.path("input");
            if (given.isTextual()) {
                ObjectNode message = input.addObject();
                message.put("role", "user").put("content", given.asText());
            } else if (given.isArray()) {
                input.addAll((ArrayNode) given);
            }
            store.save(response.path("id").asText(), call.key.id(), input.toString(), response.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /v1/responses/{id}}. */
    public Processor get() {
        return exchange -> {
            CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
            String id = exchange.getMessage().getHeader("id", String.class);
            var stored = store.find(id, call.key.id()).orElseThrow(() -> notFound(id));
            reply(exchange, stored.response().getBytes(StandardCharsets.UTF_8));
        };
    }

    /** {@code DELETE /v1/responses/{id}}. */
    public Processor delete() {
        return exchange -> {
            CallContext call = exchange.getProperty(CallContext.PROPERTY, CallContext.class);
            String id = exchange.getMessage().getHeader("id", String.class);
            if (!store.delete(id, call.key.id())) throw notFound(id);
            reply(exchange, Json.bytes(Map.of("id", id, "object", "response", "deleted", true)));
        };
    }

    private static GatewayError notFound(String id) {
        return new GatewayError(404, "invalid_request_error", "not_found", "response_id", "Response with id '" + id + "' not found.", Map.of());
    }

    private static void reply(Exchange exchange, byte[] body) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(ResponseBody.of(body));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
