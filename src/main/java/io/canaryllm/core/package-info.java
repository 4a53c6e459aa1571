/**
 * The basic types every other package may use and that use none of ours: JSON ({@link io.canaryllm.core.Json}),
 * protocol-neutral errors ({@link io.canaryllm.core.GatewayError}) and protocol ids
 * ({@link io.canaryllm.core.Protocol}, {@link io.canaryllm.core.ClientProtocol}). No Camel, no Vert.x.
 */
package io.canaryllm.core;
