package io.canaryllm.canonical;

/** Whether and which tool the model must call. Parallel calls are a separate switch on {@link ChatRequest}. */
public sealed interface ToolChoice {
    record Auto() implements ToolChoice {}
    record None() implements ToolChoice {}
    /** Must call some tool (OpenAI {@code required}, Anthropic {@code any}). */
    record Required() implements ToolChoice {}
    record Named(String name) implements ToolChoice {}

    ToolChoice AUTO = new Auto();
    ToolChoice NONE = new None();
    ToolChoice REQUIRED = new Required();
}
