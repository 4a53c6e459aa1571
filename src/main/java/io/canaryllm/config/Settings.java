package io.canaryllm.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator settings by their environment name ({@code CANARYLLM_PORT}, {@code CANARYLLM_OPENAI_API_KEY} …).
 * A JVM system property of the same name wins over the environment, so tests and {@code java -D…} can point
 * the gateway anywhere without touching the process environment.
 */
public final class Settings {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)(?::([^}]*))?}");

    private Settings() {}

    public static Optional<String> get(String name) {
        String v = System.getProperty(name);
        if (v == null) v = System.getenv(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public static String get(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    public static long getLong(String name, long fallback) {
        return get(name).map(Long::parseLong).orElse(fallback);
    }

    /** Replaces {@code ${NAME}} and {@code ${NAME:default}} in configuration values with {@link #get}. */
    public static String resolve(String text) {
        if (text == null || text.indexOf("${") < 0) return text;
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = get(m.group(1)).orElse(m.group(2) == null ? "" : m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
