/**
 * Choosing a deployment of a model's pool for each call, and what that choice reads: per deployment, the calls open
 * now, a moving average of the time to first byte, and a cooldown after a 429. The state is this process's own (each
 * replica balances its own traffic); the catalogue's deployments are fixed at start.
 */
package io.canaryllm.pool;
