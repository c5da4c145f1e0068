package dev.sio4j.socketio.parser.msgpack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sio4j.socketio.parser.SocketIoParseException;
import java.util.Objects;

/**
 * JSON trees to and from msgpack, byte-compatible with notepack.io (the encoding of the npm msgpack
 * parser, and of the Node Redis adapters and emitters): the value rules of this package's parser,
 * for any tree rather than a packet.
 *
 * <ul>
 *   <li>writing: integral numbers (also {@code 1.0}) in the smallest integer format, other numbers
 *       as float 64; {@code BinaryNode} as {@code bin}; {@code MissingNode} (JS {@code undefined})
 *       left out of objects and {@code nil} in arrays; object members in the tree's order;
 *   <li>reading: {@code bin} as {@code BinaryNode}; a {@code Date} (timestamp extension) as its ISO
 *       string, what {@code JSON.stringify} makes of it; JS {@code undefined} left out of objects,
 *       {@code null} in arrays and at the top; nesting bounded by the mapper's nesting limit.
 * </ul>
 *
 * <p>Thread-safety: immutable and thread-safe, given a mapper that is not reconfigured.
 */
public final class MsgpackTrees {
  private static final MsgpackTrees DEFAULT = new MsgpackTrees(new ObjectMapper());

  private final MsgpackEncoder encoder;
  private final MsgpackDecoder decoder;

  private MsgpackTrees(ObjectMapper mapper) {
    this.encoder = new MsgpackEncoder(mapper);
    this.decoder = MsgpackDecoder.of(mapper);
  }

  /** With a default {@link ObjectMapper}. */
  public static MsgpackTrees create() {
    return DEFAULT;
  }

  /** With this mapper's node factory, number handling and nesting limit. */
  public static MsgpackTrees create(ObjectMapper mapper) {
    return new MsgpackTrees(Objects.requireNonNull(mapper, "mapper"));
  }

  /** The msgpack bytes notepack.io writes for the JS value this tree stands for. */
  public byte[] encode(JsonNode tree) {
    return encoder.encodeTree(Objects.requireNonNull(tree, "tree"));
  }

  /**
   * Reads exactly one msgpack value.
   *
   * @throws SocketIoParseException when the bytes are empty, malformed, truncated, nested too
   *     deeply or followed by more bytes
   */
  public JsonNode decode(byte[] bytes) {
    return decoder.decodeTree(Objects.requireNonNull(bytes, "bytes"));
  }
}
