package dev.sio4j.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Why a namespace connection failed: a server middleware's refusal ({@link #getMessage()} is the
 * reference's {@code err.message}, {@link #data()} its {@code err.data}), or a failure to open the
 * connection (then {@link #getCause()} is set and there is no data).
 *
 * <p>Thread-safety: immutable (do not modify the data tree).
 */
public final class ConnectErrorException extends SocketIoException {
  private static final long serialVersionUID = 1L;

  private final transient JsonNode data;

  /**
   * @param data the refusal's data, or {@code null} (a missing node counts as none)
   * @param cause the failure underneath, or {@code null}
   */
  public ConnectErrorException(String message, JsonNode data, Throwable cause) {
    super(message, cause);
    this.data = data == null || data.isMissingNode() ? null : data;
  }

  /** The {@code data} the server attached to the refusal, if any. */
  public Optional<JsonNode> data() {
    return Optional.ofNullable(data);
  }
}
