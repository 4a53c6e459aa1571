/**
 * Google Vertex AI specifics that are not wire translation: service-account credentials and their OAuth access
 * tokens (protocols.md 4.1, section 7). The Gemini wire itself is translated in {@code io.canaryllm.translate}.
 */
package io.canaryllm.vertex;
