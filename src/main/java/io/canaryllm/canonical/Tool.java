package io.canaryllm.canonical;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function the model may call.
 *
 * @param inputSchema JSON Schema of the arguments, or null when the client gave none
 * @param strict      whether the client asked for strict schema adherence; null when it did not say
 */
public record Tool(String name, String description, JsonNode inputSchema, Boolean strict, CacheHint cache) {}
