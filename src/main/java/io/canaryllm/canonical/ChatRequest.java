package io.canaryllm.canonical;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A chat request, whatever protocol it came in.
 *
 * @param model             the model the client named (before catalogue resolution)
 * @param system            system/developer text, in order, as {@link Part.Text} parts
 * @param toolChoice        null when the client did not say
 * @param parallelToolCalls null when the client did not say
 * @param maxOutputTokens   null when the client did not say
 * @param responseFormat    null for free text
 * @param reasoning         null when the client did not say
 * @param userId            an opaque end-user id, or null
 * @param metadata          the client's metadata map (never null)
 * @param extensions        top-level fields no mapper understood, as received; forwarded only to the same wire
 */
public record ChatRequest(
        String model,
        List<Part> system,
        List<Message> messages,
        List<Tool> tools,
        ToolChoice toolChoice,
        Boolean parallelToolCalls,
        Sampling sampling,
        Integer maxOutputTokens,
        ResponseFormat responseFormat,
        Reasoning reasoning,
        boolean stream,
        String userId,
        Map<String, String> metadata,
        ObjectNode extensions) {

    public ChatRequest {
        system = List.copyOf(system);
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        sampling = sampling == null ? Sampling.DEFAULT : sampling;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /**
     * This request for a wire that has no system message inside the conversation (Anthropic's stable API, Gemini): the
     * text of each {@link Role#SYSTEM} turn joins the system prompt after what is there, in order, and the turn leaves
     * the conversation. The same request when it has no such turn.
     */
    public ChatRequest withSystemTurnsFolded() {
        if (messages.stream().noneMatch(m -> m.role() == Role.SYSTEM)) return this;
        List<Part> folded = new ArrayList<>(system);
        List<Message> turns = new ArrayList<>();
        for (Message m : messages) {
            if (m.role() == Role.SYSTEM) folded.addAll(m.parts());
            else turns.add(m);
        }
        return new ChatRequest(model, folded, turns, tools, toolChoice, parallelToolCalls, sampling, maxOutputTokens,
                responseFormat, reasoning, stream, userId, metadata, extensions);
    }
}
