package dev.sio4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Why a namespace connection failed: a server middleware's {@code next(err)} ({@link #getMessage()}
 * is {@code err.message}, {@link #data()} is {@code err.data}), or an Engine.IO failure (then
 * {@link #getCause()} is set and there is no data).
 *
 * <p>Thread-safety: immutable (do not modify the data tree).
 */
public final class ConnectErrorException extends SocketIoException {
  private static final long serialVersionUID = 1L;

  private final transient JsonNode data;

  public ConnectErrorException(String message, JsonNode data, Throwable cause) {
    super(message, cause);
    this.data = data == null || data.isMissingNode() ? null : data;
  }

  /** The {@code data} the server attached to the error, if any. */
  public Optional<JsonNode> data() {
    return Optional.ofNullable(data);
  }
}
