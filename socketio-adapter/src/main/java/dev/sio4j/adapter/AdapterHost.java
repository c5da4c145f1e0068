package dev.sio4j.adapter;

import dev.sio4j.socketio.parser.SioParser;
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

  /**
   * The parser packets are written with (the server's, JSON unless configured otherwise): a
   * broadcast encodes its packet once with it and hands the same frames to every target.
   */
  SioParser encoder();
}
