package dev.sio4j.engineio.client;

/**
 * Life cycle of an {@link EngineIoClient}: {@code OPENING -> OPEN -> CLOSING -> CLOSED}; any state
 * may go to {@code CLOSED} directly on error. A closed client is never reopened.
 *
 * <p>Thread-safety: immutable.
 */
public enum ReadyState {
  OPENING,
  OPEN,
  CLOSING,
  CLOSED
}
