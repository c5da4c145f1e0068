package dev.sio4j.common.internal;

import org.slf4j.Logger;

/**
 * Whose user callbacks a listener list calls, for the WARN line written when one throws: read only
 * then, so that naming the socket costs nothing while callbacks succeed.
 *
 * <p>Not part of the public API. Thread-safety: implementations answer from any thread (a snapshot
 * of the socket's id is good enough for a log line).
 */
public interface CallbackContext {
  /** The namespace, e.g. {@code "/"}. */
  String namespace();

  /** The socket id, or {@code "-"} when there is none (yet, or any more). */
  String socketId();

  /** Where the line goes. */
  Logger logger();
}
