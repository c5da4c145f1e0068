package dev.sio4j.engineio.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state shared by every channel of one Engine.IO server: options, the application's handler,
 * and the sessions by id.
 *
 * <p>Thread-safety: thread-safe; the session map is concurrent, the rest immutable.
 */
final class EngineIoServerCore {
  private final EngineIoOptions options;
  private final EngineIoHandler handler;
  private final ConcurrentHashMap<String, Session> clients = new ConcurrentHashMap<>();

  EngineIoServerCore(EngineIoOptions options, EngineIoHandler handler) {
    this.options = options;
    this.handler = handler;
  }

  EngineIoOptions options() {
    return options;
  }

  EngineIoHandler handler() {
    return handler;
  }

  Session session(String sid) {
    return clients.get(sid);
  }

  void add(Session session) {
    clients.put(session.id(), session);
  }

  void remove(Session session) {
    clients.remove(session.id(), session);
  }

  int clientsCount() {
    return clients.size();
  }

  Collection<Session> sessions() {
    return new ArrayList<>(clients.values());
  }

  /** The upgrades advertised to a session opened on {@code transport}. */
  List<String> upgrades(TransportType transport) {
    List<String> upgrades = new ArrayList<>(1);
    if (options.allowUpgrades()
        && transport == TransportType.POLLING
        && options.transports().contains(TransportType.WEBSOCKET)) {
      upgrades.add(TransportType.WEBSOCKET.wireName());
    }
    return upgrades;
  }

  void connectionError(EngineIoRequest request, EngineIoError error, String message) {
    try {
      handler.onConnectionError(request, error, message != null ? message : error.message());
    } catch (RuntimeException ignored) {
      // A failing observer must not change how the request is answered.
    }
  }
}
