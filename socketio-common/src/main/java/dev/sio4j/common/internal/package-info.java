/**
 * Implementation shared by the server and the client (JSON conversion, listener lists, the ack
 * registry, the flag emitter). Not part of the public API: it may change in any release.
 *
 * <p>Thread-safety: every type states its own.
 */
package dev.sio4j.common.internal;
