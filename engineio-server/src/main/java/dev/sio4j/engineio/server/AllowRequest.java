package dev.sio4j.engineio.server;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a handshake request may open a session. Called only for handshakes (requests
 * without a {@code sid}), polling and WebSocket alike. A refusal is answered with error 4 {@code
 * Forbidden} and, when given, the refusal's message in place of "Forbidden".
 *
 * <p>Thread-safety: called on Netty event loops, possibly concurrently; must not block (return an
 * incomplete stage for slow checks).
 */
@FunctionalInterface
public interface AllowRequest {
  CompletionStage<Decision> check(EngineIoRequest request);

  /** The answer of an {@link AllowRequest}. Thread-safety: immutable. */
  final class Decision {
    private static final Decision ALLOW = new Decision(true, null);
    private final boolean allowed;
    private final String message;

    private Decision(boolean allowed, String message) {
      this.allowed = allowed;
      this.message = message;
    }

    public static Decision allow() {
      return ALLOW;
    }

    /** A refusal; {@code message} (may be null) replaces "Forbidden" in the error body. */
    public static Decision deny(String message) {
      return new Decision(false, message);
    }

    public boolean allowed() {
      return allowed;
    }

    /** The refusal message, or null to use "Forbidden". */
    public String message() {
      return message;
    }
  }
}
