package dev.sio4j.adapter;

import dev.sio4j.socketio.parser.SioEncoder;
import java.util.Optional;

/**
 * The namespace an adapter serves, as the adapter sees it.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
public interface AdapterHost {
  /** The namespace name, e.g. {@code /} or {@code /chat}. */
  String name();

  /** The connected local socket with this id. */
  Optional<SocketHandle> socket(String id);

  /** The next ack id of the namespace (shared by emits and broadcasts, as the reference). */
  long nextAckId();

  /** The encoder packets are written with. */
  SioEncoder encoder();
}
