package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.socketio.parser.msgpack.MsgpackParser;
import org.junit.jupiter.api.AfterEach;

/**
 * Every {@link ConnectionStateRecoveryInteropTest} again with msgpack on both ends: the replayed
 * packets (stored decoded, with their offset appended) are encoded by the msgpack parser too.
 */
class MsgpackConnectionStateRecoveryInteropTest extends ConnectionStateRecoveryInteropTest {
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
