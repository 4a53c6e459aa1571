/** Tables and rules every wire shares (protocols.md section 5): stop reasons, ids, usage arithmetic, arguments, data URLs, model limits, thinking signatures across vendors, token estimates, translation errors. */
package io.canaryllm.wire.mapping;
