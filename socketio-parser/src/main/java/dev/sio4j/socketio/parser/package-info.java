/**
 * Socket.IO protocol v5 packets and the parser SPI: {@link dev.sio4j.socketio.parser.SioPacket}
 * (the packet model, data as Jackson trees), {@link dev.sio4j.socketio.parser.SioParser} (how
 * packets become Engine.IO messages: {@link dev.sio4j.socketio.parser.EncodedSioPacket} frames out,
 * a per-connection {@link dev.sio4j.socketio.parser.SioPacketDecoder} in) and its default JSON
 * implementation, {@link dev.sio4j.socketio.parser.SioEncoder} (packet to text plus binary
 * attachments) and {@link dev.sio4j.socketio.parser.SioDecoder} (reassembles binary packets).
 *
 * <p>This package knows nothing about transports: it sits on top of the Engine.IO {@code message}
 * packets, one frame per Engine.IO message.
 */
package dev.sio4j.socketio.parser;
