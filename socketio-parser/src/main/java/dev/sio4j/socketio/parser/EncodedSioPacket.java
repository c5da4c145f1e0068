package dev.sio4j.socketio.parser;

import dev.sio4j.engineio.parser.Packet;
import java.util.List;
import java.util.Objects;

/**
 * The wire form of one Socket.IO packet, as a {@link SioParser} made it: one or more frames, each
 * sent as one Engine.IO {@code message}, in order and back to back. A frame is text ({@link
 * #text(int)}) or binary ({@link #binary(int)}). The JSON parser makes a text frame followed by the
 * binary attachments, if any; the msgpack parser makes a single binary frame.
 *
 * <p>Binary frames are not copied: the JSON parser's attachments are the very arrays held by the
 * packet's {@code BinaryNode}s, so a broadcast writes the same bytes to every connection. Nobody
 * may modify them.
 *
 * <p>Thread-safety: immutable apart from the lazily made first {@link #enginePacket(int)} and
 * {@link #byteLength()} (a benign race: two threads may each make an equal packet), given that the
 * binary arrays are not modified; safe to share between connections and threads.
 */
public final class EncodedSioPacket {
  private static final Object[] NO_MORE_FRAMES = new Object[0];

  // Each frame a String or a byte[]. The first is kept apart so that the common one-frame packet
  // costs no array.
  private final Object first;
  private final Object[] rest;
  // The first frame's Engine.IO packet, made on first use (broadcasts only).
  private volatile Packet firstPacket;
  // The frames' size in bytes, 0 until first asked for (a packet has at least one byte).
  private int byteLength;

  /** Trusted constructor: {@code rest} is owned by the new instance and holds Strings/byte[]s. */
  EncodedSioPacket(Object first, Object[] rest) {
    this.first = first;
    this.rest = rest;
  }

  /** A packet made of one text frame. */
  public static EncodedSioPacket ofText(String text) {
    return new EncodedSioPacket(Objects.requireNonNull(text, "text"), NO_MORE_FRAMES);
  }

  /** A packet made of one binary frame. The array is not copied. */
  public static EncodedSioPacket ofBinary(byte[] data) {
    return new EncodedSioPacket(Objects.requireNonNull(data, "data"), NO_MORE_FRAMES);
  }

  /**
   * A text frame followed by binary frames, the shape of the JSON parser's output; for instance to
   * replay frames recorded elsewhere. The arrays are not copied.
   */
  public static EncodedSioPacket of(String text, List<byte[]> attachments) {
    Objects.requireNonNull(text, "text");
    Object[] rest = attachments.isEmpty() ? NO_MORE_FRAMES : new Object[attachments.size()];
    for (int i = 0; i < rest.length; i++) {
      rest[i] = Objects.requireNonNull(attachments.get(i), "attachment");
    }
    return new EncodedSioPacket(text, rest);
  }

  /**
   * A packet made of these frames, in order.
   *
   * @param frames each a {@link String} (text frame) or a {@code byte[]} (binary frame, not copied)
   * @throws IllegalArgumentException if {@code frames} is empty or holds anything else
   */
  public static EncodedSioPacket ofFrames(List<?> frames) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a packet needs at least one frame");
    }
    for (Object frame : frames) {
      if (!(frame instanceof String) && !(frame instanceof byte[])) {
        throw new IllegalArgumentException(
            "a frame is a String or a byte[], got " + (frame == null ? null : frame.getClass()));
      }
    }
    Object[] rest =
        frames.size() == 1 ? NO_MORE_FRAMES : frames.subList(1, frames.size()).toArray();
    return new EncodedSioPacket(frames.get(0), rest);
  }

  /** The number of frames, at least 1. */
  public int frameCount() {
    return 1 + rest.length;
  }

  /**
   * Whether frame {@code index} is text (else it is binary).
   *
   * @throws IndexOutOfBoundsException if there is no such frame
   */
  public boolean isText(int index) {
    return frame(index) instanceof String;
  }

  /**
   * Frame {@code index} as text.
   *
   * @throws IllegalStateException if it is a binary frame
   * @throws IndexOutOfBoundsException if there is no such frame
   */
  public String text(int index) {
    Object frame = frame(index);
    if (!(frame instanceof String)) {
      throw new IllegalStateException("frame " + index + " is binary");
    }
    return (String) frame;
  }

  /**
   * Frame {@code index} as bytes (not a copy: do not modify it).
   *
   * @throws IllegalStateException if it is a text frame
   * @throws IndexOutOfBoundsException if there is no such frame
   */
  public byte[] binary(int index) {
    Object frame = frame(index);
    if (!(frame instanceof byte[])) {
      throw new IllegalStateException("frame " + index + " is text");
    }
    return (byte[]) frame;
  }

  /**
   * The size of the frames in bytes, text in UTF-8 (without the Engine.IO framing): what metrics
   * count. Measured once, on first use (a benign race: two threads may each measure it), so that a
   * broadcast measures its packet once for every connection it reaches.
   */
  public int byteLength() {
    int n = byteLength;
    if (n == 0) {
      for (int i = 0, frames = frameCount(); i < frames; i++) {
        Object frame = frame(i);
        n += frame instanceof String ? utf8Length((String) frame) : ((byte[]) frame).length;
      }
      byteLength = n;
    }
    return n;
  }

  private static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        bytes += 1;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 2;
        i++;
      } else if (!Character.isSurrogate(c)) {
        bytes += 2;
      }
    }
    return bytes;
  }

  /**
   * Frame {@code index} as an Engine.IO {@code message} packet. The first frame's is made once:
   * every connection a broadcast reaches sends that same packet, so the engine encodes its wire
   * bytes once (see {@code EngineIoSocket.send(Packet, boolean)}). Later frames (the JSON parser's
   * binary attachments, which have nothing to encode) are wrapped anew on each call, which keeps
   * this object as small as one field per frame kind.
   *
   * @throws IndexOutOfBoundsException if there is no such frame
   */
  public Packet enginePacket(int index) {
    Object frame = frame(index);
    if (index != 0) {
      return toPacket(frame);
    }
    Packet p = firstPacket;
    if (p == null) {
      // Packet's fields are final, so a thread that sees the reference sees a complete packet.
      p = toPacket(frame);
      firstPacket = p;
    }
    return p;
  }

  private static Packet toPacket(Object frame) {
    return frame instanceof String ? Packet.message((String) frame) : Packet.binary((byte[]) frame);
  }

  private Object frame(int index) {
    if (index == 0) {
      return first;
    }
    Objects.checkIndex(index, 1 + rest.length);
    return rest[index - 1];
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0, n = frameCount(); i < n; i++) {
      if (i > 0) {
        sb.append(" + ");
      }
      Object frame = frame(i);
      if (frame instanceof String) {
        sb.append((String) frame);
      } else {
        sb.append('<').append(((byte[]) frame).length).append(" bytes>");
      }
    }
    return sb.toString();
  }
}
