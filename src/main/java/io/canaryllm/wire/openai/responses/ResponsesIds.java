package io.canaryllm.wire.openai.responses;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Fresh OpenAI Responses ids (protocols.md 3.3, 5.12): a prefix and 48 hex characters from a CSPRNG. Tool-call ids
 * ({@code call_id}) are not made here: they are the upstream's call ids, or {@link Ids#chatToolCall()}.
 */
public final class ResponsesIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ResponsesIds() {}

    public static String response() { return "resp_" + hex(); }

    public static String message() { return "msg_" + hex(); }

    public static String functionCall() { return "fc_" + hex(); }

    public static String customToolCall() { return "ctc_" + hex(); }

    public static String reasoning() { return "rs_" + hex(); }

    private static String hex() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
