/**
 * One package per wire protocol, each turning its own JSON and SSE into the canonical model
 * ({@code io.canaryllm.canonical}) and back, with codecs named by direction ({@code toCanonical} /
 * {@code fromCanonical}): {@code openai.chat}, {@code openai.responses}, {@code anthropic}, {@code gemini}. Shared
 * pieces live in {@code sse} (SSE framing, the stream decoder/encoder contracts) and {@code mapping} (tables and
 * rules every wire follows: stop reasons, ids, usage arithmetic, thinking signatures), each citing the protocols.md
 * section it follows. Pure Java on the Jackson tree model: a wire package imports no Camel, no HTTP layer and no
 * other wire (ArchitectureTest checks it); it names another vendor only through {@link io.canaryllm.core.Protocol}.
 */
package io.canaryllm.wire;
