package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.server.EngineIoError;

/**
 * A polling request on its way to its session's loop: the one hop every GET and every complete POST
 * makes (two during an upgrade: {@link Session#dispatchRequest}). On the loop the session is
 * checked again (it may have closed, or moved to a WebSocket, since the request was routed) before
 * the polling transport gets the request.
 *
 * <p>One object per request, which is also the task: the hop costs no allocation beyond it.
 *
 * <p>Thread-safety: created on the request's channel loop, run once on the session's loop.
 */
final class PollingDispatch implements Runnable {
  private final Session session;
  private final HttpExchange exchange;

  /** The POST body, or null for a GET. */
  private final byte[] body;

  private final boolean binary;

  private PollingDispatch(Session session, HttpExchange exchange, byte[] body, boolean binary) {
    this.session = session;
    this.exchange = exchange;
    this.body = body;
    this.binary = binary;
  }

  /** Hands a GET to the session's transport. */
  static void poll(Session session, HttpExchange exchange) {
    session.dispatchRequest(new PollingDispatch(session, exchange, null, false));
  }

  /** Hands a complete POST body to the session's transport. */
  static void data(Session session, HttpExchange exchange, byte[] body, boolean binary) {
    session.dispatchRequest(new PollingDispatch(session, exchange, body, binary));
  }

  @Override
  public void run() {
    Transport t = session.currentTransport();
    if (session.state() == Session.State.CLOSED) {
      exchange.respondError(EngineIoError.UNKNOWN_SID, null);
    } else if (!(t instanceof PollingTransport)) {
      exchange.respondError(EngineIoError.BAD_REQUEST, null);
    } else if (body == null) {
      ((PollingTransport) t).onPollRequest(exchange);
    } else {
      ((PollingTransport) t).onDataRequest(exchange, body, binary);
    }
  }
}
