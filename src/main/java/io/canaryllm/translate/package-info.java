/**
 * Composes one wire's stream decoder with another's encoder ({@link io.canaryllm.translate.StreamTranslator}): the
 * layer above the wire packages ({@code io.canaryllm.wire.*}), which know only their own protocol.
 */
package io.canaryllm.translate;
