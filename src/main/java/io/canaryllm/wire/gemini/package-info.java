/** Google Gemini, on AI Studio and Vertex AI (protocols.md section 4): an upstream wire only (no client speaks it). */
package io.canaryllm.wire.gemini;
