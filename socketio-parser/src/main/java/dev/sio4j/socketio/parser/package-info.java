/**
 * Socket.IO protocol v5 packets and their wire codec: {@link dev.sio4j.socketio.parser.SioPacket}
 * (the packet model, JSON data as Jackson trees), {@link dev.sio4j.socketio.parser.SioEncoder}
 * (packet to text plus binary attachments) and {@link dev.sio4j.socketio.parser.SioDecoder} (the
 * per-connection decoder that reassembles binary packets).
 *
 * <p>This package knows nothing about transports: it sits on top of the Engine.IO {@code message}
 * packets, one Socket.IO text part or attachment per Engine.IO message.
 */
package dev.sio4j.socketio.parser;
