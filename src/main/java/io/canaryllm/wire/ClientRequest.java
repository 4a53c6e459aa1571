package io.canaryllm.wire;

import io.canaryllm.canonical.ChatRequest;

/**
 * A client's request as its wire decoded it: the canonical request, and whatever else that wire needs to answer in
 * kind (a Responses client's custom tool names, whether a Chat client asked for a usage chunk).
 */
public interface ClientRequest {
    ChatRequest canonical();

    /** Whether the client wants usage in its stream (OpenAI Chat asks with {@code stream_options}; others always get it). */
    default boolean wantsStreamUsage() { return true; }

    /** Headers the translated answer carries for this request (a Responses caller: the built-in tools dropped). */
    default java.util.Map<String, String> answerHeaders() { return java.util.Map.of(); }

    /** A request that carries nothing beyond the canonical one. */
    static ClientRequest of(ChatRequest request) { return () -> request; }
}
