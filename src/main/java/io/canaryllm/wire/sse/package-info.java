/** SSE framing shared by every wire: an incremental parser, frame writers, and the per-stream decoder and encoder contracts (protocols.md section 0). */
package io.canaryllm.wire.sse;
