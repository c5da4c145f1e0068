package dev.sio4j.socketio.parser;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Supplier;

/**
 * The default parser: {@link SioEncoder} and one {@link SioDecoder} per connection, all sharing the
 * mapper's JSON reader.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
final class JsonSioParser implements SioParser {
  static final JsonSioParser DEFAULT =
      new JsonSioParser(JsJson.DEFAULT_MAPPER, SioDecoder.DEFAULT_MAX_ATTACHMENTS);

  private final SioEncoder encoder;
  private final Supplier<SioDecoder> decoders;
  private final int maxAttachments;

  JsonSioParser(ObjectMapper mapper, int maxAttachments) {
    this.encoder =
        mapper == JsJson.DEFAULT_MAPPER ? SioEncoder.defaultEncoder() : new SioEncoder(mapper);
    this.decoders = SioDecoder.factory(maxAttachments, mapper);
    this.maxAttachments = maxAttachments;
  }

  @Override
  public EncodedSioPacket encode(SioPacket packet) {
    return encoder.encode(packet);
  }

  @Override
  public SioDecoder newDecoder() {
    return decoders.get();
  }

  @Override
  public String toString() {
    return "SioParser.json(maxAttachments=" + maxAttachments + ")";
  }
}
