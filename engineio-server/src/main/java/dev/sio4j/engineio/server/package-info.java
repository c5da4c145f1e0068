/**
 * Engine.IO server on Netty: {@link dev.sio4j.engineio.server.EngineIoServer} (standalone on a
 * port, or mounted in an application's pipeline), its options, and the small boundary above it:
 * {@link dev.sio4j.engineio.server.EngineIoHandler} receives the sessions, each an {@link
 * dev.sio4j.engineio.server.EngineIoSocket}. Transports, sessions and the HTTP plumbing live in
 * {@code dev.sio4j.engineio.server.internal}, which is not API.
 *
 * <p>Thread-safety: each session is owned by one Netty event loop; handler callbacks of a session
 * run there, in order. Public methods of sockets and of the server may be called from any thread.
 */
package dev.sio4j.engineio.server;
