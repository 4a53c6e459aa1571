package io.canaryllm.validate;

import com.fasterxml.jackson.core.JsonToken;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a request value may be, as data: the JSON kinds it may take and, for an object or an array, what is inside.
 * {@link RequestShapes} holds the tables; {@link ShapeWalker} checks a body against them in one streaming pass.
 * Fields a table does not name are skipped unchecked, so new API fields pass (forward compatibility).
 *
 * @param kinds    allowed JSON kinds, a mask of the constants below
 * @param fields   for an object: the known fields and their shapes (null: anything inside)
 * @param items    for an array: the shape of every item (null: anything inside)
 * @param required for an object: fields that must be there (a few: they are tracked as bits)
 * @param values   for a string: the allowed values (null: any)
 * @param min      for an integer: the smallest allowed value
 */
record Shape(int kinds, Map<String, Shape> fields, Shape items, List<String> required, Set<String> values, long min) {
    static final int STRING = 1, INTEGER = 2, FLOAT = 4, BOOLEAN = 8, OBJECT = 16, ARRAY = 32, NULL = 64;
    static final int NUMBER = INTEGER | FLOAT;

    static Shape of(int kinds) { return new Shape(kinds, null, null, List.of(), null, Long.MIN_VALUE); }

    /** An optional value: null is accepted as "not given", as the official APIs do for optional fields. */
    static Shape opt(int kinds) { return of(kinds | NULL); }

    static Shape object(Map<String, Shape> fields, String... required) {
        return new Shape(OBJECT | NULL, fields, null, List.of(required), null, Long.MIN_VALUE);
    }

    static Shape arrayOf(Shape items) { return new Shape(ARRAY | NULL, null, items, List.of(), null, Long.MIN_VALUE); }

    static Shape oneOf(String... values) { return new Shape(STRING | NULL, null, null, List.of(), Set.of(values), Long.MIN_VALUE); }

    static Shape atLeast(long min) { return new Shape(INTEGER | NULL, null, null, List.of(), null, min); }

    /** The same shape, also allowing {@code more} kinds (e.g. a string or a list of {@code items}). */
    Shape or(int more) { return new Shape(kinds | more, fields, items, required, values, min); }

    /** This shape's kinds with the object fields and required fields of {@code other}. */
    Shape withFields(Shape other) { return new Shape(kinds, other.fields, other.items, other.required, values, min); }

    /** The same shape without null. */
    Shape notNull() { return new Shape(kinds & ~NULL, fields, items, required, values, min); }

    static int kindOf(JsonToken t) {
        if (t == null) return 0;
        return switch (t) {
            case VALUE_STRING -> STRING;
            case VALUE_NUMBER_INT -> INTEGER;
            case VALUE_NUMBER_FLOAT -> FLOAT;
            case VALUE_TRUE, VALUE_FALSE -> BOOLEAN;
            case START_OBJECT -> OBJECT;
            case START_ARRAY -> ARRAY;
            case VALUE_NULL -> NULL;
            default -> 0;
        };
    }

    /** "a string or an array", as an error message says it. */
    static String describe(int kinds) {
        StringBuilder b = new StringBuilder();
        if ((kinds & STRING) != 0) add(b, "a string");
        if ((kinds & NUMBER) == NUMBER) add(b, "a number");
        else if ((kinds & INTEGER) != 0) add(b, "an integer");
        if ((kinds & BOOLEAN) != 0) add(b, "a boolean");
        if ((kinds & OBJECT) != 0) add(b, "an object");
        if ((kinds & ARRAY) != 0) add(b, "an array");
        return b.toString();
    }

    private static void add(StringBuilder b, String what) {
        if (!b.isEmpty()) b.append(" or ");
        b.append(what);
    }

    static String describe(JsonToken t) {
        return switch (kindOf(t)) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case FLOAT -> "a decimal";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case NULL -> "null";
            default -> "nothing";
        };
    }
}
