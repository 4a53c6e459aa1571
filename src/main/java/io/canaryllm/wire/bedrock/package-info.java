/**
 * AWS Bedrock's Converse and ConverseStream API (Anthropic, Meta, Mistral, Amazon models): an upstream wire only. Its
 * streams are AWS event-stream binary frames ({@link io.canaryllm.wire.bedrock.BedrockEventStream}), not SSE; the
 * SigV4 signature is the transport's ({@code io.canaryllm.aws}, {@code upstream.UpstreamWire.BEDROCK}).
 */
package io.canaryllm.wire.bedrock;
