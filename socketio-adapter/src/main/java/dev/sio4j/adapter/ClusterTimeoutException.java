package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.common.SocketIoException;
import java.util.List;

/**
 * A cluster request did not get every node's answer in time. The message is the reference's: {@code
 * timeout reached: only X responses received out of Y} (a {@link ClusterAdapter} that knows how
 * many nodes there are), or {@code timeout reached: missing N responses} (a {@link
 * ClusterAdapterWithHeartbeat}, which knows which nodes). A {@code serverSideEmitWithAck} carries
 * the answers that did arrive.
 *
 * <p>Thread-safety: immutable.
 */
public final class ClusterTimeoutException extends SocketIoException {
  private static final long serialVersionUID = 1L;
  private final transient List<JsonNode> responses;

  public ClusterTimeoutException(String message, List<JsonNode> responses) {
    super(message);
    this.responses = List.copyOf(responses);
  }

  /** The answers received before the timeout (empty for {@code fetchSockets}). */
  public List<JsonNode> responses() {
    return responses;
  }
}
