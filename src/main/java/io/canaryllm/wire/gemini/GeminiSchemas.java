package io.canaryllm.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.core.Json;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema (as clients send it for tools and structured output) → the OpenAPI-3.0 {@code Schema} subset Gemini
 * accepts in {@code parameters} / {@code responseSchema} (protocols.md 4.2, 5.3 rules, pitfall 36). Works on every
 * Gemini model and on Vertex, unlike {@code parametersJsonSchema} (2.5+ only).
 *
 * <p>What changes: {@code $ref} is inlined from {@code $defs}/{@code definitions} (a recursive reference becomes a
 * plain object); {@code type: [T, "null"]} and {@code anyOf/oneOf [.., {type: null}]} become {@code nullable: true};
 * {@code const} becomes a one-value {@code enum}; {@code allOf} is merged; every keyword outside {@link #KEYWORDS}
 * ({@code $schema}, {@code additionalProperties}, {@code default}, {@code examples}, {@code exclusiveMinimum} …) is
 * dropped; formats Gemini does not know are dropped; {@code properties}/{@code required} survive only on objects,
 * {@code enum} only on strings; an empty {@code properties} map is dropped (Gemini: "should be non-empty for OBJECT").
 */
public final class GeminiSchemas {

    /** The OpenAPI Schema fields Gemini's function declarations accept (4.2); everything else is removed. */
    private static final Set<String> KEYWORDS = Set.of("type", "format", "description", "nullable", "enum", "items",
            "properties", "required", "anyOf", "minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength",
            "pattern", "minProperties", "maxProperties", "propertyOrdering");

    /** Supported {@code format} values per type (Gemini Schema reference); others are dropped, not rejected. */
    private static final Map<String, Set<String>> FORMATS = Map.of(
            "string", Set.of("enum", "date-time"),
            "number", Set.of("float", "double"),
            "integer", Set.of("int32", "int64"));

    private static final int MAX_DEPTH = 32;

    private GeminiSchemas() {}

    /**
     * A tool's parameter schema, or null when the function takes no arguments: Gemini rejects an OBJECT with empty
     * {@code properties}, so the declaration then carries no schema at all (5.3).
     */
    public static ObjectNode forParameters(JsonNode schema) {
        if (schema == null || !schema.isObject()) return null;
        ObjectNode out = sanitize(schema);
        if (!out.path("properties").isObject() || out.path("properties").isEmpty()) return null;
        return out;
    }

    /** Any schema (nested, or a {@code responseSchema}), sanitised; never null. */
    public static ObjectNode sanitize(JsonNode schema) {
        if (schema == null || !schema.isObject()) return Json.MAPPER.createObjectNode();
        return convert(schema, definitions(schema), new HashSet<>(), 0);
    }

    private static ObjectNode definitions(JsonNode root) {
        ObjectNode defs = Json.MAPPER.createObjectNode();
        if (root.path("definitions").isObject()) defs.setAll((ObjectNode) root.get("definitions"));
        if (root.path("$defs").isObject()) defs.setAll((ObjectNode) root.get("$defs"));
        return defs;
    }

    private static ObjectNode convert(JsonNode in, ObjectNode defs, Set<String> expanding, int depth) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (!in.isObject() || depth > MAX_DEPTH) return out.put("type", "object");

        if (in.path("$ref").isTextual()) {
            String ref = in.get("$ref").asText();
            JsonNode target = resolve(ref, defs);
            // a recursive type cannot be inlined: its inner occurrence becomes an open object
            if (target == null || expanding.contains(ref)) return describe(out.put("type", "object"), in);
            expanding.add(ref);
            ObjectNode inlined = convert(target, defs, expanding, depth + 1);
            expanding.remove(ref);
            return describe(inlined, in);
        }
        if (in.path("allOf").isArray()) return convert(mergeAllOf(in), defs, expanding, depth + 1);

        boolean nullable = in.path("nullable").asBoolean(false);
        String type = null;
        List<String> otherTypes = new ArrayList<>();
        JsonNode t = in.path("type");
        if (t.isTextual()) {
            type = t.asText();
        } else if (t.isArray()) {
            for (JsonNode each : t) {
                if ("null".equals(each.asText())) nullable = true;
                else if (type == null) type = each.asText();
                else otherTypes.add(each.asText());
            }
        }

        JsonNode union = in.path("anyOf").isArray() ? in.get("anyOf") : in.path("oneOf");
        List<ObjectNode> variants = new ArrayList<>();
        for (JsonNode v : union) {
            if ("null".equals(v.path("type").asText())) nullable = true;
            else variants.add(convert(v, defs, expanding, depth + 1));
        }
        if (variants.size() == 1 && type == null) {
            // {anyOf: [X, null]} is "X or null": X itself, nullable
            out.setAll(variants.getFirst());
            variants.clear();
            type = out.path("type").asText(null);
        }
        if (!otherTypes.isEmpty()) {
            // type: ["string", "integer"]: Gemini has no type arrays, only anyOf
            ArrayNode any = out.putArray("anyOf");
            any.addObject().put("type", type);
            otherTypes.forEach(o -> any.addObject().put("type", o));
            type = null;
        } else if (!variants.isEmpty()) {
            ArrayNode any = out.putArray("anyOf");
            variants.forEach(any::add);
        }

        JsonNode enumValues = in.has("enum") ? in.get("enum") : in.has("const") ? Json.MAPPER.createArrayNode().add(in.get("const")) : null;
        if (type == null && enumValues != null && allText(enumValues)) type = "string";
        if (type == null && in.path("properties").isObject()) type = "object";
        if (type == null && in.has("items")) type = "array";
        if (type != null) out.put("type", type);

        copyScalars(in, out, type);
        if ("string".equals(type) && enumValues != null && enumValues.isArray()) {
            ArrayNode e = out.putArray("enum");
            for (JsonNode v : enumValues) if (!v.isNull()) e.add(v.asText());
        }
        if ("object".equals(type)) objectFields(in, out, defs, expanding, depth);
        if ("array".equals(type) && !out.has("items")) {
            JsonNode items = in.path("items").isArray() ? in.get("items").path(0)
                    : in.has("items") ? in.get("items") : in.path("prefixItems").path(0);
            // Gemini rejects an ARRAY without items ("items: missing field"); an unknown element type becomes string
            out.set("items", items.isObject() ? convert(items, defs, expanding, depth + 1)
                    : Json.MAPPER.createObjectNode().put("type", "string"));
        }
        if (nullable) out.put("nullable", true);
        return out;
    }

    private static void copyScalars(JsonNode in, ObjectNode out, String type) {
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String k = f.getKey();
            if (!KEYWORDS.contains(k) || out.has(k)) continue;
            switch (k) {
                case "type", "enum", "properties", "required", "items", "anyOf", "nullable", "propertyOrdering" -> { }
                case "format" -> {
                    if (type != null && FORMATS.getOrDefault(type, Set.of()).contains(f.getValue().asText())) out.set(k, f.getValue());
                }
                case "description", "pattern" -> {
                    if (f.getValue().isTextual()) out.set(k, f.getValue());
                }
                default -> {
                    if (f.getValue().isNumber()) out.set(k, f.getValue());
                }
            }
        }
    }

    private static void objectFields(JsonNode in, ObjectNode out, ObjectNode defs, Set<String> expanding, int depth) {
        JsonNode props = in.path("properties");
        if (!props.isObject() || props.isEmpty()) return;
        ObjectNode p = out.putObject("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            p.set(f.getKey(), convert(f.getValue(), defs, expanding, depth + 1));
        }
        ArrayNode required = Json.MAPPER.createArrayNode();
        for (JsonNode r : in.path("required")) if (p.has(r.asText())) required.add(r.asText());
        if (!required.isEmpty()) out.set("required", required);
    }

    private static JsonNode resolve(String ref, ObjectNode defs) {
        for (String prefix : List.of("#/$defs/", "#/definitions/")) {
            if (ref.startsWith(prefix)) return defs.get(ref.substring(prefix.length()));
        }
        return null;
    }

    /** allOf: properties and required united, the first type/description kept. */
    private static ObjectNode mergeAllOf(JsonNode in) {
        ObjectNode merged = ((ObjectNode) in).deepCopy();
        merged.remove("allOf");
        for (JsonNode part : in.get("allOf")) {
            if (!part.isObject()) continue;
            for (Iterator<Map.Entry<String, JsonNode>> it = part.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                switch (f.getKey()) {
                    case "properties" -> {
                        if (f.getValue().isObject()) {
                            ObjectNode props = merged.path("properties").isObject() ? (ObjectNode) merged.get("properties") : merged.putObject("properties");
                            props.setAll((ObjectNode) f.getValue());
                        }
                    }
                    case "required" -> {
                        ArrayNode req = merged.path("required").isArray() ? (ArrayNode) merged.get("required") : merged.putArray("required");
                        f.getValue().forEach(req::add);
                    }
                    default -> { if (!merged.has(f.getKey())) merged.set(f.getKey(), f.getValue()); }
                }
            }
        }
        return merged;
    }

    private static ObjectNode describe(ObjectNode out, JsonNode in) {
        if (in.path("description").isTextual() && !out.has("description")) out.set("description", in.get("description"));
        return out;
    }

    private static boolean allText(JsonNode values) {
        if (!values.isArray() || values.isEmpty()) return false;
        for (JsonNode v : values) if (!v.isTextual() && !v.isNull()) return false;
        return true;
    }
}
