package dev.sio4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.socketio.parser.msgpack.MsgpackParser;
import org.junit.jupiter.api.Test;

/**
 * Every {@link AbstractClientInteropTest} again, with our client on {@link MsgpackParser} and the
 * Node reference server on {@code socket.io-msgpack-parser}: a client left on JSON could not even
 * connect to it, so every passing test shows msgpack on the wire both ways.
 */
class NodeReferenceMsgpackClientInteropTest extends NodeReferenceClientInteropTest {
  @Override
  String serverOptions() {
    return SERVER_OPTIONS.substring(0, SERVER_OPTIONS.length() - 1) + ",\"parser\":\"msgpack\"}";
  }

  @Override
  SocketIoClient.Builder clientDefaults(SocketIoClient.Builder b) {
    return b.parser(MsgpackParser.create());
  }

  @Test
  void theReferenceServerRunsTheMsgpackParser() {
    assertEquals("msgpack", server.events("listening").get(0).path("parser").asText());
  }
}
