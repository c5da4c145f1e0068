package dev.sio4j.engineio.parser;

/**
 * Thrown when bytes or text received from a peer are not a valid Engine.IO packet or payload. The
 * reference server answers such input by closing the session with the reason {@code parse error}.
 *
 * <p>Thread-safety: immutable.
 */
public final class EngineIoParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineIoParseException(String message) {
    super(message);
  }

  public EngineIoParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
