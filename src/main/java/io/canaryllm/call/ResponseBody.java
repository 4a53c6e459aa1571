package io.canaryllm.call;

import io.vertx.core.buffer.Buffer;

/** An answer's body as platform-http writes it best. */
public final class ResponseBody {
    private ResponseBody() {}

    /** A body platform-http sends in one write (a byte[] body goes through an InputStream pump and a worker hop). */
    public static Buffer of(byte[] bytes) { return Buffer.buffer(bytes); }
}
