package io.canaryllm.validate;

import io.canaryllm.core.GatewayError;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the value under a streaming parser against a {@link Shape}, naming the field at fault as the official APIs
 * do ({@code Invalid type for 'messages[0].content': …}). Values nobody described are skipped without being
 * decoded, which keeps a long conversation cheap to check: the tables describe the structure, not the text.
 */
final class ShapeWalker {
    private ShapeWalker() {}

    /** Where a value sits: a chain built while walking, turned into text only for an error. */
    record Path(Path parent, String field, int index) {
        static Path of(String field) { return new Path(null, field, -1); }

        Path field(String name) { return new Path(this, name, -1); }

        Path index(int i) { return new Path(this, null, i); }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            append(b);
            return b.toString();
        }

        private void append(StringBuilder b) {
            if (parent != null) parent.append(b);
            if (field == null) b.append('[').append(index).append(']');
            else b.append(parent == null ? "" : ".").append(field);
        }
    }

    /** Checks the value whose first token {@code t} the parser is on, and leaves the parser on its last token. */
    static void walk(JsonParser p, JsonToken t, Shape s, Path at) throws IOException {
        int kind = Shape.kindOf(t);
        if ((s.kinds() & kind) == 0) throw wrongType(at, s.kinds(), t);
        switch (kind) {
            case Shape.STRING -> {
                if (s.values() != null && !s.values().contains(p.getText())) throw notOneOf(at, p.getText(), s.values());
            }
            case Shape.INTEGER -> {
                if (s.min() != Long.MIN_VALUE) atLeast(p, at, s.min());
            }
            case Shape.OBJECT -> {
                if (s.fields() == null && s.required().isEmpty()) {
                    p.skipChildren();
                } else {
                    walkObject(p, s, at);
                }
            }
            case Shape.ARRAY -> {
                if (s.items() == null) {
                    p.skipChildren();
                } else {
                    int i = 0;
                    JsonToken item;
                    while ((item = p.nextToken()) != JsonToken.END_ARRAY) walk(p, item, s.items(), at.index(i++));
                }
            }
            default -> { }
        }
    }

    private static void walkObject(JsonParser p, Shape s, Path at) throws IOException {
        int seen = 0; // bit i: required field i was there (and not null)
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int r = s.required().indexOf(name);
            if (r >= 0 && v != JsonToken.VALUE_NULL) seen |= 1 << r;
            Shape field = s.fields() == null ? null : s.fields().get(name);
            if (field == null) {
                p.skipChildren();
            } else {
                walk(p, v, field, at.field(name));
            }
        }
        for (int r = 0; r < s.required().size(); r++) {
            if ((seen & (1 << r)) == 0) throw missing(at.field(s.required().get(r)));
        }
    }

    /** An integer of at least {@code min}; one that does not fit a long is out of range too. */
    static long atLeast(JsonParser p, Path at, long min) throws IOException {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw GatewayError.badRequest(at.toString(), "Invalid '" + at + "': integer is out of range.");
        }
        long value = p.getLongValue();
        if (value < min) {
            throw GatewayError.badRequest(at.toString(), "Invalid '" + at + "': integer below minimum value. Expected a value >= "
                    + min + ", but got " + value + " instead.");
        }
        return value;
    }

    static GatewayError wrongType(Path at, int expected, JsonToken got) {
        return GatewayError.badRequest(at.toString(), "Invalid type for '" + at + "': expected " + Shape.describe(expected)
                + ", but got " + Shape.describe(got) + " instead.");
    }

    static GatewayError missing(Path at) {
        return GatewayError.badRequest(at.toString(), "Missing required parameter: '" + at + "'.");
    }

    static GatewayError notOneOf(Path at, String got, Set<String> allowed) {
        StringBuilder b = new StringBuilder();
        for (String v : new TreeSet<>(allowed)) b.append(b.isEmpty() ? "'" : ", '").append(v).append('\'');
        return GatewayError.badRequest(at.toString(), "Invalid value for '" + at + "': '" + got + "'. Supported values are: " + b + ".");
    }
}
