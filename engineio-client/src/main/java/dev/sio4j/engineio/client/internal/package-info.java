/**
 * Not API: the implementation of the Engine.IO client (the connection, its transports, HTTP
 * connections). Types are public only where the public package needs them; any of them may change
 * in any release.
 *
 * <p>Thread-safety: confined to the client's event loop unless a class says otherwise.
 */
package dev.sio4j.engineio.client.internal;
