package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.server.EngineIoOptions;

/**
 * The server's side of a session's heartbeat, the one behaviour besides the wire format in which
 * Engine.IO v4 and v3 differ: who pings, who answers, how long the server waits before it closes
 * with {@code ping timeout}. Chosen once per session from its codec.
 *
 * <p>Thread-safety: stateless; the methods run on the session's loop (the timers are the
 * session's).
 */
enum Heartbeat {
  /**
   * v4: the server pings every {@code pingInterval}; a pong must come within {@code pingTimeout}.
   */
  SERVER_PINGS {
    @Override
    void start(Session session) {
      session.schedulePing();
    }

    @Override
    void onPing(Session session, Packet ping) {
      session.onError(INVALID_DIRECTION);
    }

    @Override
    void onPong(Session session) {
      session.cancelPingTimeout();
      session.schedulePing();
    }

    @Override
    long timeoutMillis(EngineIoOptions options) {
      return options.pingTimeout().toMillis();
    }
  },

  /**
   * v3: the client pings; the server answers each ping at once and closes when none came within
   * {@code pingInterval + pingTimeout}.
   */
  CLIENT_PINGS {
    @Override
    void start(Session session) {
      session.resetPingTimeout();
    }

    @Override
    void onPing(Session session, Packet ping) {
      session.resetPingTimeout();
      session.sendPong(ping.textData());
    }

    @Override
    void onPong(Session session) {
      session.onError(INVALID_DIRECTION);
    }

    @Override
    long timeoutMillis(EngineIoOptions options) {
      return options.pingInterval().toMillis() + options.pingTimeout().toMillis();
    }
  };

  private static final String INVALID_DIRECTION = "invalid heartbeat direction";

  static Heartbeat of(EngineIoCodec codec) {
    return codec.heartbeat() == EngineIoCodec.Heartbeat.SERVER_PINGS ? SERVER_PINGS : CLIENT_PINGS;
  }

  /** Arms the heartbeat of a session that just opened. */
  abstract void start(Session session);

  /** A {@code ping} arrived on the session's transport. */
  abstract void onPing(Session session, Packet ping);

  /** A {@code pong} arrived on the session's transport. */
  abstract void onPong(Session session);

  /** How long the ping timeout timer runs once armed. */
  abstract long timeoutMillis(EngineIoOptions options);
}
