package io.canaryllm.wire.gemini;

import io.canaryllm.testing.Golden;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pitfall 36: schema keywords Gemini rejects are removed; what it accepts keeps its meaning. */
class GeminiSchemasTest {

    /** Every keyword Gemini's OpenAPI Schema accepts (protocols.md 4.2); anything else in the output is a bug. */
    private static final Set<String> ACCEPTED = Set.of("type", "format", "description", "nullable", "enum", "items",
            "properties", "required", "anyOf", "minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength",
            "pattern", "minProperties", "maxProperties", "propertyOrdering");

    private static JsonNode json(String s) throws Exception { return Json.MAPPER.readTree(s); }

    @Test
    void shouldRemoveKeywordsGeminiRejects() throws Exception {
        JsonNode out = GeminiSchemas.forParameters(json("""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"x","title":"T","type":"object",
             "additionalProperties":false,"properties":{
               "n":{"type":"number","default":1,"examples":[2],"exclusiveMinimum":0,"multipleOf":2,"minimum":0},
               "s":{"type":"string","format":"uri","pattern":"^a","$comment":"c","readOnly":true}},
             "patternProperties":{"^x":{}},"required":["n"]}"""));
        assertEquals(json("""
            {"type":"object","properties":{"n":{"type":"number","minimum":0},"s":{"type":"string","pattern":"^a"}},
             "required":["n"]}"""), out);
    }

    @Test
    void shouldInlineRefsFromDefsAndDefinitions() throws Exception {
        JsonNode out = GeminiSchemas.forParameters(json("""
            {"type":"object","$defs":{"P":{"type":"object","properties":{"x":{"$ref":"#/definitions/Q"}}}},
             "definitions":{"Q":{"type":"integer"}},
             "properties":{"p":{"$ref":"#/$defs/P","description":"a point"}}}"""));
        assertEquals(json("""
            {"type":"object","properties":{"p":{"type":"object","properties":{"x":{"type":"integer"}},"description":"a point"}}}"""), out);
    }

    @Test
    void shouldCutRecursiveRefsInsteadOfLooping() throws Exception {
        JsonNode out = GeminiSchemas.forParameters(json("""
            {"type":"object","$defs":{"Node":{"type":"object","properties":{"child":{"$ref":"#/$defs/Node"},"v":{"type":"string"}}}},
             "properties":{"root":{"$ref":"#/$defs/Node"}}}"""));
        JsonNode root = out.path("properties").path("root");
        assertEquals("string", root.path("properties").path("v").path("type").asText());
        assertEquals(json("{\"type\":\"object\"}"), root.path("properties").path("child"));
    }

    @Test
    void shouldTurnNullUnionsIntoNullable() throws Exception {
        JsonNode out = GeminiSchemas.sanitize(json("""
            {"type":"object","properties":{
              "a":{"type":["string","null"]},
              "b":{"anyOf":[{"type":"integer"},{"type":"null"}]},
              "c":{"oneOf":[{"type":"string"},{"type":"integer"}]},
              "d":{"type":["string","integer"]}}}"""));
        JsonNode p = out.path("properties");
        assertEquals(json("{\"type\":\"string\",\"nullable\":true}"), p.get("a"));
        assertEquals(json("{\"type\":\"integer\",\"nullable\":true}"), p.get("b"));
        assertEquals(json("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"), p.get("c"));
        assertEquals(json("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"), p.get("d"));
    }

    @Test
    void shouldKeepEnumsOnlyAsStringsAndTurnConstIntoEnum() throws Exception {
        JsonNode p = GeminiSchemas.sanitize(json("""
            {"type":"object","properties":{"k":{"const":"fixed"},"n":{"type":"integer","enum":[1,2]},
             "e":{"enum":["a","b"]}}}""")).path("properties");
        assertEquals(json("{\"type\":\"string\",\"enum\":[\"fixed\"]}"), p.get("k"));
        assertEquals(json("{\"type\":\"integer\"}"), p.get("n"), "Gemini allows enum only on STRING");
        assertEquals(json("{\"type\":\"string\",\"enum\":[\"a\",\"b\"]}"), p.get("e"));
    }

    @Test
    void shouldMergeAllOfAndGiveArraysItems() throws Exception {
        JsonNode out = GeminiSchemas.sanitize(json("""
            {"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                      {"properties":{"b":{"type":"array","prefixItems":[{"type":"number"}]}}}]}"""));
        assertEquals("object", out.path("type").asText());
        assertEquals(json("[\"a\"]"), out.path("required"));
        assertEquals(json("{\"type\":\"array\",\"items\":{\"type\":\"number\"}}"), out.path("properties").path("b"));
    }

    @Test
    void shouldDropPropertiesOutsideObjectsAndRequiredNamesThatDoNotExist() throws Exception {
        JsonNode out = GeminiSchemas.sanitize(json("""
            {"type":"object","properties":{"s":{"type":"string","properties":{"x":{}},"required":["x"]}},"required":["s","ghost"]}"""));
        assertEquals(json("{\"type\":\"string\"}"), out.path("properties").path("s"));
        assertEquals(json("[\"s\"]"), out.path("required"));
    }

    @Test
    void shouldOmitSchemaForFunctionsWithoutArguments() throws Exception {
        assertNull(GeminiSchemas.forParameters(json("{\"type\":\"object\",\"properties\":{}}")), "pitfall 36: empty OBJECT rejected");
        assertNull(GeminiSchemas.forParameters(json("{\"type\":\"object\",\"additionalProperties\":false}")));
        assertNull(GeminiSchemas.forParameters(null));
    }

    /** The tool schemas real clients send (Claude Code, Codex) come out with accepted keywords only. */
    @ParameterizedTest
    @ValueSource(strings = {"claude-code-tool-bash", "claude-code-say-hello", "codex-tool-shell", "codex-say-hello",
            "pi-chat-tool-bash", "pi-messages-tool-bash", "pi-responses-tool-bash"})
    void shouldSanitiseEveryToolSchemaOfRealClients(String name) throws Exception {
        JsonNode body = json(Golden.read(Golden.CLIENTS.resolve(name + ".shape.json")));
        int schemas = 0;
        for (JsonNode tool : body.path("tools")) {
            JsonNode schema = tool.has("input_schema") ? tool.get("input_schema")
                    : tool.has("parameters") ? tool.get("parameters") : tool.path("function").path("parameters");
            if (!schema.isObject()) continue;
            schemas++;
            JsonNode out = GeminiSchemas.forParameters(schema);
            if (out == null) continue;
            List<String> bad = new ArrayList<>();
            walk(out, "$", bad);
            assertTrue(bad.isEmpty(), tool.path("name").asText(tool.path("function").path("name").asText()) + ": " + bad);
            assertEquals("object", out.path("type").asText());
        }
        assertTrue(schemas > 0, "fixture " + name + " has tool schemas");
    }

    private static void walk(JsonNode schema, String path, List<String> bad) {
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!ACCEPTED.contains(f.getKey())) bad.add(path + "." + f.getKey());
        }
        if (schema.has("properties") && !"object".equals(schema.path("type").asText())) bad.add(path + ".properties on non-object");
        if (schema.path("properties").isObject() && schema.get("properties").isEmpty()) bad.add(path + ".properties empty");
        if (schema.path("type").isArray()) bad.add(path + ".type array");
        if ("array".equals(schema.path("type").asText()) && !schema.has("items")) bad.add(path + " array without items");
        schema.path("properties").fields().forEachRemaining(e -> walk(e.getValue(), path + "." + e.getKey(), bad));
        if (schema.path("items").isObject()) walk(schema.get("items"), path + "[]", bad);
        for (JsonNode v : schema.path("anyOf")) walk(v, path + "|", bad);
        assertFalse(schema.has("$ref"));
    }
}
