package dev.sio4j.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.socketio.parser.SioParser;
import dev.sio4j.socketio.parser.msgpack.MsgpackParser;

/**
 * Kept apart so that the msgpack parser's classes are loaded only when {@code sio4j.parser=msgpack}
 * (the module is optional).
 *
 * <p>Thread-safety: stateless.
 */
final class MsgpackSupport {
  private MsgpackSupport() {}

  static SioParser parser(ObjectMapper mapper) {
    return MsgpackParser.create(mapper);
  }
}
