/**
 * Emits to a Socket.IO cluster through Redis from a process without a Socket.IO server,
 * wire-compatible with {@code @socket.io/redis-emitter}.
 */
package dev.sio4j.redis.emitter;
