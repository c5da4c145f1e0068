/**
 * Not API: the implementation of the Engine.IO server (sessions, transports, the HTTP request
 * pipeline). Types are public only where the public package needs them; any of them may change in
 * any release.
 *
 * <p>Thread-safety: stated per class; session and transport state is confined to the session's
 * event loop.
 */
package dev.sio4j.engineio.server.internal;
