/**
 * Not API: helpers shared by the Engine.IO and Socket.IO parsers. They may change in any release.
 *
 * <p>Thread-safety: stateless.
 */
package dev.sio4j.engineio.parser.internal;
