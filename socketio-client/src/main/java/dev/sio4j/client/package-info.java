/**
 * Socket.IO v5 client: {@link dev.sio4j.client.SocketIoClient} (the reference's Manager: one
 * Engine.IO connection, reconnection with backoff) and {@link dev.sio4j.client.ClientSocket} (one
 * namespace: events, acks, binary, buffering, catch-all listeners).
 *
 * <p>Thread-safety: all callbacks of one client run on its single event thread, in order; emits,
 * acks and every other method are thread-safe and non-blocking from any thread. Callbacks must not
 * block.
 */
package dev.sio4j.client;
