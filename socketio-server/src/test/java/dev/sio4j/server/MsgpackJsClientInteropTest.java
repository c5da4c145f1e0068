package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.socketio.parser.msgpack.MsgpackParser;
import org.junit.jupiter.api.AfterEach;

/**
 * Every {@link JsClientInteropTest} again (connect, middleware errors, namespaces, rooms and
 * broadcasts, acks both ways with binary, timeouts, volatile, catch-all, disconnects; over polling,
 * WebSocket and the upgrade), with our server on {@link MsgpackParser} and the official client on
 * {@code socket.io-msgpack-parser}.
 */
class MsgpackJsClientInteropTest extends JsClientInteropTest {
  private final CountingParser parser = new CountingParser(MsgpackParser.create());

  @Override
  SocketIoOptions.Builder baseOptions() {
    return super.baseOptions().parser(parser);
  }

  @Override
  String clientOptions() {
    return "\"parser\":\"msgpack\"";
  }

  @AfterEach
  void msgpackWasOnTheWire() {
    assertTrue(parser.decoded.get() > 0, "the server decoded no packet with msgpack");
    assertTrue(parser.encoded.get() > 0, "the server encoded no packet with msgpack");
  }
}
