package dev.sio4j.socketio.parser.msgpack;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketDecoder;
import dev.sio4j.socketio.parser.SioParser;
import java.util.Objects;

/**
 * The msgpack parser, wire-compatible with the npm {@code socket.io-msgpack-parser} 3.0.2 (the
 * parser inside the served {@code socket.io.msgpack.min.js}): each packet is one binary Engine.IO
 * message holding the msgpack map {@code {type, nsp, data?, id?}}, binary values inline, with no
 * attachments and no {@code BINARY_*} types.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.builder()
 *     .options(SocketIoOptions.builder().parser(MsgpackParser.create()).build())
 *     .build();
 * // the JS client: io(url, { parser: require("socket.io-msgpack-parser") })
 * }</pre>
 *
 * <p>Encoding matches notepack.io 2.2 (the npm parser's msgpack library) byte for byte for the same
 * JavaScript values; decoding also accepts what notepack.io 3.x writes (the Redis adapter's
 * library). The value mapping is described on the package.
 *
 * <p>Thread-safety: immutable and thread-safe; share one instance. Decoders are per connection.
 */
public final class MsgpackParser implements SioParser {
  private static final MsgpackParser DEFAULT = new MsgpackParser(new ObjectMapper());

  private final MsgpackEncoder encoder;
  private final ObjectMapper mapper;

  private MsgpackParser(ObjectMapper mapper) {
    this.mapper = mapper;
    this.encoder = new MsgpackEncoder(mapper);
  }

  /** The parser with a plain {@link ObjectMapper}. */
  public static MsgpackParser create() {
    return DEFAULT;
  }

  /**
   * The parser with this mapper: it converts values that are not yet trees ({@code POJONode}s) when
   * encoding, and its node factory, {@code USE_BIG_DECIMAL_FOR_FLOATS} setting and maximum nesting
   * depth apply when decoding. Pass the mapper the server or client uses.
   */
  public static MsgpackParser create(ObjectMapper mapper) {
    return new MsgpackParser(Objects.requireNonNull(mapper, "mapper"));
  }

  /**
   * Encodes a packet as one binary frame.
   *
   * @throws IllegalArgumentException if a value cannot be converted (a raw JSON value that is not
   *     JSON)
   */
  @Override
  public EncodedSioPacket encode(SioPacket packet) {
    return EncodedSioPacket.ofBinary(encoder.encode(packet));
  }

  @Override
  public SioPacketDecoder newDecoder() {
    return MsgpackDecoder.of(mapper);
  }

  @Override
  public String toString() {
    return "MsgpackParser";
  }
}
