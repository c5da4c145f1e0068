package dev.sio4j.engineio.server;

import java.util.List;
import java.util.Map;

/**
 * Adds or changes response headers: registered as {@code initialHeaders} it runs on the first
 * response of a session (the handshake, polling or WebSocket 101), as {@code headers} on every
 * response. The map is mutable, keyed by header name.
 *
 * <p>Thread-safety: called on Netty event loops, possibly concurrently for different requests; must
 * not block.
 */
@FunctionalInterface
public interface HeadersHook {
  void apply(Map<String, List<String>> headers, EngineIoRequest request);
}
