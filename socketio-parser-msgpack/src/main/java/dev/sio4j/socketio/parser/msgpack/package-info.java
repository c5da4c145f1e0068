/**
 * The msgpack Socket.IO parser, {@link dev.sio4j.socketio.parser.msgpack.MsgpackParser},
 * wire-compatible with the npm {@code socket.io-msgpack-parser} 3.0.2.
 *
 * <p>Values map to Jackson trees as the JSON parser's do, so handlers read arguments the same way
 * whichever parser is configured: binary values are {@code BinaryNode}s both ways; JS {@code
 * undefined} is dropped from objects and {@code null} in arrays; a JS {@code Date} arrives as its
 * ISO-8601 string; numbers follow JS (an integral {@code double} is sent as an integer).
 */
package dev.sio4j.socketio.parser.msgpack;
