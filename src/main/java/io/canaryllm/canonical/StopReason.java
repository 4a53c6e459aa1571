package io.canaryllm.canonical;

/** Why the model stopped; the wire names live in {@code io.canaryllm.wire.mapping.StopReasons}. */
public enum StopReason { END_TURN, MAX_TOKENS, STOP_SEQUENCE, TOOL_USE, CONTENT_FILTER, REFUSAL, PAUSE, ERROR }
