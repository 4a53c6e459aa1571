package io.canaryllm.wire.gemini;

import io.canaryllm.wire.mapping.ToolIds;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the next request needs to know about a Gemini function call the client saw only by its id (protocols.md 5.5,
 * option 1 of "Thought signatures"): the call's {@code thoughtSignature} (Gemini 3 rejects a replayed call without it)
 * and the id Gemini issued, if it did (then it is echoed in {@code functionCall.id}/{@code functionResponse.id}; ids
 * the gateway synthesised are not). An id Gemini issued is also remembered under the forms the client encoders
 * rewrite it to ({@link ToolIds}), since that is what comes back. Client wires have no field for a signature on a tool call, and a signature
 * does not fit in OpenAI's 40-character id (pitfall 9), so it stays here, keyed by the id the client got.
 *
 * <p>In-memory and bounded (least recently used entries go first): after a restart, on another gateway instance or
 * for history made by another model, the signature is unknown and {@link GeminiRequests} sends Google's documented
 * placeholder instead. Thread-safe.
 */
final class GeminiCallMemory {
    /** Signatures are a few hundred bytes to a few KB: 10 000 entries stay within tens of MB in the worst case. */
    private static final int CAPACITY = 10_000;

    /** @param upstreamId the id Gemini gave the call, or null when the gateway made one up */
    record Call(String thoughtSignature, String upstreamId) {}

    private static final Map<String, Call> CALLS = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Call> eldest) { return size() > CAPACITY; }
    };

    private GeminiCallMemory() {}

    static void remember(String callId, String thoughtSignature, String upstreamId) {
        if (callId == null || (thoughtSignature == null && upstreamId == null)) return;
        Call call = new Call(thoughtSignature, upstreamId);
        synchronized (CALLS) {
            CALLS.put(callId, call);
            if (upstreamId != null) {
                CALLS.put(ToolIds.forOpenAi(callId), call);
                CALLS.put(ToolIds.forAnthropic(callId), call);
            }
        }
    }

    /** The remembered call, or null. */
    static Call recall(String callId) {
        if (callId == null) return null;
        synchronized (CALLS) {
            return CALLS.get(callId);
        }
    }
}
