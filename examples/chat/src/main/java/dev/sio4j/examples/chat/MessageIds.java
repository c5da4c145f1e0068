package dev.sio4j.examples.chat;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids: this process's start time and a random part, then a counter. Pages drop a message
 * whose id they already show, so ids stay unique across restarts and across the nodes of a cluster
 * without asking anyone.
 *
 * <p>Thread-safety: thread-safe.
 */
final class MessageIds {
  private final String boot;
  private final AtomicLong next = new AtomicLong();

  MessageIds() {
    String random = Integer.toString(new SecureRandom().nextInt(36 * 36 * 36 * 36), 36);
    this.boot = Long.toString(System.currentTimeMillis(), 36) + random;
  }

  String next() {
    return boot + "-" + next.incrementAndGet();
  }
}
