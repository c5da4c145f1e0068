package dev.sio4j.engineio.server;

/**
 * The error codes the reference server answers a refused request with, and their messages. A
 * polling request gets a JSON body {@code {"code":N,"message":"..."}} (status 400, or 403 for
 * {@link #FORBIDDEN}); a refused WebSocket upgrade gets a raw {@code 400 Bad Request}.
 *
 * <p>Thread-safety: immutable.
 */
public enum EngineIoError {
  UNKNOWN_TRANSPORT(0, "Transport unknown"),
  UNKNOWN_SID(1, "Session ID unknown"),
  BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
  BAD_REQUEST(3, "Bad request"),
  FORBIDDEN(4, "Forbidden"),
  UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

  private final int code;
  private final String message;

  EngineIoError(int code, String message) {
    this.code = code;
    this.message = message;
  }

  public int code() {
    return code;
  }

  public String message() {
    return message;
  }

  /** The HTTP status for a polling request: 403 for {@link #FORBIDDEN}, otherwise 400. */
  public int httpStatus() {
    return this == FORBIDDEN ? 403 : 400;
  }
}
