/** OpenAI Responses (protocols.md section 3): a client wire here (requests decoded, responses and streams encoded); upstream Responses calls pass through. */
package io.canaryllm.wire.openai.responses;
