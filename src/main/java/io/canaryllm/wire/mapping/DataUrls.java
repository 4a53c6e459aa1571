package io.canaryllm.wire.mapping;

import io.canaryllm.canonical.Part;

/** {@code data:<mime>;base64,<payload>} URLs (protocols.md 5.6: split on the first ";base64,"). */
public final class DataUrls {
    private DataUrls() {}

    public static Part.Image toImage(String url) {
        if (url != null && url.startsWith("data:")) {
            int sep = url.indexOf(";base64,");
            if (sep > 0) return Part.Image.ofData(url.substring(5, sep), url.substring(sep + 8));
        }
        return Part.Image.ofUrl(url);
    }

    public static String of(String mediaType, String data) {
        return "data:" + mediaType + ";base64," + data;
    }
}
