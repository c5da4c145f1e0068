package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.server.EngineIoError;

/**
 * A polling request on its way to its session's loop: the one hop every GET and every complete POST
 * makes (two during an upgrade: {@link Session#dispatchRequest}), plus the news of a POST's start
 * and of its failure, which the transport tracks as the reference's does (the same path keeps them
 * in order with the body). On the loop the session is checked again (it may have closed, or moved
 * to a WebSocket, since the request was routed) before the polling transport gets the request.
 *
 * <p>One object per request, which is also the task: the hop costs no allocation beyond it.
 *
 * <p>Thread-safety: created on the request's channel loop, run once on the session's loop.
 */
final class PollingDispatch implements Runnable {
  private final Session session;
  private final HttpExchange exchange;

  /** The POST body, or null for a GET and for the news of a POST. */
  private final byte[] body;

  private final boolean binary;

  /** The POST, or null for a GET. */
  private final PostBody post;

  /** Why the POST failed, for the news of a failure. */
  private final String failure;

  private PollingDispatch(
      Session session,
      HttpExchange exchange,
      byte[] body,
      boolean binary,
      PostBody post,
      String failure) {
    this.session = session;
    this.exchange = exchange;
    this.body = body;
    this.binary = binary;
    this.post = post;
    this.failure = failure;
  }

  /** Hands a GET to the session's transport. */
  static void poll(Session session, HttpExchange exchange) {
    session.dispatchRequest(new PollingDispatch(session, exchange, null, false, null, null));
  }

  /** Tells the session's transport a POST's head arrived (its body is being read). */
  static void postStarted(Session session, PostBody post) {
    session.dispatchRequest(new PollingDispatch(session, null, null, false, post, null));
  }

  /** Hands a complete POST body to the session's transport. */
  static void data(
      Session session, HttpExchange exchange, byte[] body, boolean binary, PostBody post) {
    session.dispatchRequest(new PollingDispatch(session, exchange, body, binary, post, null));
  }

  /** Tells the session's transport a POST ended without a body. */
  static void postFailed(Session session, PostBody post, String why) {
    session.dispatchRequest(new PollingDispatch(session, null, null, false, post, why));
  }

  @Override
  public void run() {
    Transport t = session.currentTransport();
    if (exchange == null) {
      // News of a POST: only the polling transport of an open session cares.
      // (A session gone or no longer polling answers the POST when its body is complete.)
      if (session.state() != Session.State.CLOSED && t instanceof PollingTransport) {
        if (failure == null) {
          ((PollingTransport) t).onPostStarted(post);
        } else {
          ((PollingTransport) t).onPostFailed(post, failure);
        }
      }
      return;
    }
    if (session.state() == Session.State.CLOSED) {
      exchange.respondError(EngineIoError.UNKNOWN_SID, null);
    } else if (!(t instanceof PollingTransport)) {
      exchange.respondError(EngineIoError.BAD_REQUEST, null);
    } else if (body == null) {
      ((PollingTransport) t).onPollRequest(exchange);
    } else {
      ((PollingTransport) t).onDataRequest(exchange, body, binary, post);
    }
  }
}
