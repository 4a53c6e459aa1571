package io.canaryllm.canonical;

import com.fasterxml.jackson.databind.JsonNode;

/** Structured output. Absent (null on the request) means free text. */
public sealed interface ResponseFormat {
    record Text() implements ResponseFormat {}
    record JsonObject() implements ResponseFormat {}
    record JsonSchema(String name, JsonNode schema, Boolean strict) implements ResponseFormat {}
}
