package dev.sio4j.socketio.parser;

import dev.sio4j.engineio.parser.Packet;
import java.util.List;
import java.util.Objects;

/**
 * The wire form of one Socket.IO packet: a text part, followed by zero or more binary attachments
 * that must be sent, in order, right after it (as separate Engine.IO {@code message} packets).
 *
 * <p>The attachment arrays are the very arrays held by the packet's {@code BinaryNode}s: nothing is
 * copied, so a broadcast can write the same bytes to every connection. Nobody may modify them.
 *
 * <p>Thread-safety: immutable apart from the lazily made {@link #textPacket()} (a benign race: two
 * threads may each make an equal packet), given that the attachment arrays are not modified), safe
 * to share.
 */
public final class EncodedSioPacket {
  private final String text;
  private final List<byte[]> attachments;
  private volatile Packet textPacket;

  EncodedSioPacket(String text, List<byte[]> attachments) {
    this.text = text;
    this.attachments = attachments;
  }

  /** Creates an encoded packet, for instance to replay frames recorded elsewhere. */
  public static EncodedSioPacket of(String text, List<byte[]> attachments) {
    return new EncodedSioPacket(Objects.requireNonNull(text, "text"), List.copyOf(attachments));
  }

  /** The text part, e.g. {@code 2["foo"]} or {@code 51-["baz",{"_placeholder":true,"num":0}]}. */
  public String text() {
    return text;
  }

  /**
   * The text part as an Engine.IO {@code message} packet, made once: every connection a broadcast
   * reaches sends this same packet, so its wire bytes are encoded once (see {@code
   * EngineIoV4.encodePacketUtf8}).
   */
  public Packet textPacket() {
    Packet p = textPacket;
    if (p == null) {
      p = Packet.message(text);
      textPacket = p;
    }
    return p;
  }

  /** The binary attachments in placeholder order; empty for a packet without binary data. */
  public List<byte[]> attachments() {
    return attachments;
  }

  /** Whether binary attachments follow the text part. */
  public boolean hasAttachments() {
    return !attachments.isEmpty();
  }

  @Override
  public String toString() {
    return attachments.isEmpty() ? text : text + " +" + attachments.size() + " attachment(s)";
  }
}
