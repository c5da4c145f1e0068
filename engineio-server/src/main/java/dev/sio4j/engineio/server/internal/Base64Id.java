package dev.sio4j.engineio.server.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Generates ids in the reference's {@code base64id} format: 15 bytes (random, with a 32-bit
 * sequence number in the last four) in URL-safe base64, 20 characters. Other implementations (the
 * sharded Redis adapter among them) recognise socket ids by that length.
 *
 * <p>Not API: public because the Socket.IO server gives its sockets ids of the same format; it may
 * change in any release.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class Base64Id {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger SEQUENCE = new AtomicInteger(RANDOM.nextInt());
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder();

  private Base64Id() {}

  /** A new 20-character id. */
  public static String generate() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    int seq = SEQUENCE.getAndIncrement();
    bytes[11] = (byte) (seq >>> 24);
    bytes[12] = (byte) (seq >>> 16);
    bytes[13] = (byte) (seq >>> 8);
    bytes[14] = (byte) seq;
    return ENCODER.encodeToString(bytes);
  }
}
