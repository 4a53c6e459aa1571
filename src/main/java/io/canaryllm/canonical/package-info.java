/**
 * The gateway's pivot: a block-based, protocol-neutral model of a chat request, its answer and its stream
 * (DESIGN.md section 4). Records and sealed interfaces only; no Jackson annotations and no wire names, so every
 * wire format maps to and from it in {@code io.canaryllm.translate} without leaking into the others.
 */
package io.canaryllm.canonical;
