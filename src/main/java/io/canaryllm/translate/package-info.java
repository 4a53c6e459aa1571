/**
 * Wire formats to and from the canonical model ({@code io.canaryllm.canonical}): request and response codecs named
 * by direction ({@code toCanonical} / {@code fromCanonical}), an incremental SSE parser, per-stream decoders and
 * encoders, and {@link io.canaryllm.translate.StreamTranslator} composing them. Pure Java on the Jackson tree model;
 * no Camel. Mapping tables cite the protocols.md section they follow.
 */
package io.canaryllm.translate;
