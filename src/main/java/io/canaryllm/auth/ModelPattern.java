package io.canaryllm.auth;

/**
 * A key's allowed-model pattern: the model id as the caller names it ({@code provider/model}), where {@code *}
 * stands for any run of characters ({@code openai/*}, {@code *\/gpt-4.1*}, {@code *}). Case-sensitive, like model ids.
 */
final class ModelPattern {
    private ModelPattern() {}

    static boolean matches(String pattern, String id) {
        if (id == null) return false;
        int star = pattern.indexOf('*');
        if (star < 0) return pattern.equals(id);
        if (!id.startsWith(pattern.substring(0, star))) return false;
        int at = star;
        String[] parts = pattern.substring(star + 1).split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1) {
                // the last part must end the id, after everything matched so far
                return id.length() - part.length() >= at && id.endsWith(part);
            }
            int found = id.indexOf(part, at);
            if (found < 0) return false;
            at = found + part.length();
        }
        return true;
    }
}
