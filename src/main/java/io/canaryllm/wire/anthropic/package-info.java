/** Anthropic Messages (protocols.md section 2): requests, responses and streams to and from the canonical model, beta system messages included. */
package io.canaryllm.wire.anthropic;
