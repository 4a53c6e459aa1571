/** OpenAI Chat Completions (protocols.md section 1): requests, responses and streams to and from the canonical model. */
package io.canaryllm.wire.openai.chat;
