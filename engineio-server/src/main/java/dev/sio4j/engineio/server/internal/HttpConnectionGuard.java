package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.server.HttpLimits;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Holds one HTTP connection of the server's own port to {@link HttpLimits}: answers a request the
 * codec could not read (a head over a size limit: 431 or 414; anything else: 400) and closes, and
 * times the connection through the phases of its requests, as Node's HTTP server does:
 *
 * <ul>
 *   <li>a request's head must arrive within {@code headersTimeout} of its start (the connection's
 *       opening, or the first byte after the previous response), its body within {@code
 *       requestTimeout}; past either, {@code 408} and the connection is closed;
 *   <li>while a complete request waits for its answer (a long-polling GET) nothing is timed;
 *   <li>after the last answer, the next request must start within {@code keepAliveTimeout}, or the
 *       connection is closed.
 * </ul>
 *
 * <p>Sits right after the {@code HttpServerCodec}, with {@link #rawReads()} right before it to
 * notice the first byte of a request the codec is still assembling. A WebSocket upgrade removes
 * both. One timer per connection: moving a deadline later does not reschedule it, the timer checks
 * the deadline when it fires and re-arms itself for the rest.
 *
 * <p>Thread-safety: one instance per channel, used on that channel's loop.
 */
final class HttpConnectionGuard extends ChannelDuplexHandler {
  private enum Phase {
    /** Waiting for a request's head: deadline = start + headersTimeout. */
    HEAD,
    /** The head is in, the body is not: deadline = start + requestTimeout. */
    BODY,
    /** Complete requests wait for their answers: no deadline. */
    ANSWERING,
    /** Every request answered: deadline = last answer + keepAliveTimeout. */
    IDLE
  }

  private final long headersNanos;
  private final long requestNanos;
  private final long keepAliveNanos;
  private final ChannelFutureListener answered = f -> onAnswered();
  private ChannelHandlerContext ctx;
  private Phase phase = Phase.HEAD;
  private long requestStart;
  private long deadline;
  private int unanswered;
  private ScheduledFuture<?> timer;
  private long timerAt;
  private boolean done;

  HttpConnectionGuard(HttpLimits limits) {
    this.headersNanos = limits.headersTimeout().toNanos();
    this.requestNanos = limits.requestTimeout().toNanos();
    this.keepAliveNanos = limits.keepAliveTimeout().toNanos();
  }

  /** Adds a guard for {@code limits} around the codec named {@code codecName}. */
  static void install(ChannelPipeline p, String codecName, HttpLimits limits) {
    HttpConnectionGuard guard = new HttpConnectionGuard(limits);
    p.addBefore(codecName, "engineio-http-bytes", guard.rawReads());
    p.addAfter(codecName, "engineio-http-guard", guard);
  }

  /** Removes the guard from a channel about to speak WebSocket; harmless when there is none. */
  static void uninstall(ChannelPipeline p) {
    HttpConnectionGuard guard = p.get(HttpConnectionGuard.class);
    if (guard != null) {
      p.remove(guard);
    }
    if (p.get(RawReads.class) != null) {
      p.remove(RawReads.class);
    }
  }

  /** The companion placed before the codec: it only reports that bytes arrived. */
  ChannelInboundHandlerAdapter rawReads() {
    return new RawReads(this);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    requestStart = System.nanoTime();
    enter(Phase.HEAD, headersNanos == 0 ? 0 : requestStart + headersNanos);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    done = true;
    cancelTimer();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    done = true;
    cancelTimer();
    ctx.fireChannelInactive();
  }

  /** Bytes arrived: after an idle spell, they start the next request's head. */
  private void onBytes() {
    if (phase == Phase.IDLE) {
      requestStart = System.nanoTime();
      enter(Phase.HEAD, headersNanos == 0 ? 0 : requestStart + headersNanos);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpObject) {
      DecoderResult result = ((HttpObject) msg).decoderResult();
      if (result.isFailure()) {
        boolean head = msg instanceof HttpRequest;
        ReferenceCountUtil.release(msg);
        refuse(head ? statusFor(result.cause()) : HttpResponseStatus.BAD_REQUEST);
        return;
      }
    }
    if (msg instanceof HttpRequest) {
      unanswered++;
      if (!(msg instanceof LastHttpContent)) {
        enter(Phase.BODY, requestNanos == 0 ? 0 : requestStart + requestNanos);
      }
    }
    if (msg instanceof LastHttpContent) {
      onRequestComplete();
    }
    ctx.fireChannelRead(msg);
  }

  private void onRequestComplete() {
    if (unanswered > 0) {
      enter(Phase.ANSWERING, 0);
    } else {
      idle();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof LastHttpContent && !isInformational(msg)) {
      ChannelPromise p = promise.unvoid();
      p.addListener(answered);
      ctx.write(msg, p);
      return;
    }
    ctx.write(msg, promise);
  }

  private static boolean isInformational(Object msg) {
    return msg instanceof HttpResponse
        && ((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL;
  }

  /** A response was written whole. */
  private void onAnswered() {
    if (done) {
      return;
    }
    if (unanswered > 0) {
      unanswered--;
    }
    if (unanswered == 0 && phase == Phase.ANSWERING) {
      idle();
    }
  }

  private void idle() {
    enter(Phase.IDLE, keepAliveNanos == 0 ? 0 : System.nanoTime() + keepAliveNanos);
  }

  /** Enters {@code next}, with {@code at} (nanoTime) as its deadline, or none when 0. */
  private void enter(Phase next, long at) {
    phase = next;
    deadline = at;
    if (at == 0 || done) {
      return;
    }
    if (timer != null && timerAt - at > 0) {
      // The armed timer fires after the new deadline: bring it forward.
      cancelTimer();
    }
    if (timer == null) {
      arm(at);
    }
  }

  private void arm(long at) {
    timerAt = at;
    timer = ctx.executor().schedule(this::onTimer, at - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void onTimer() {
    timer = null;
    if (done || deadline == 0) {
      return;
    }
    long now = System.nanoTime();
    if (deadline - now > 0) {
      arm(deadline);
      return;
    }
    if (phase == Phase.HEAD || (phase == Phase.BODY && unanswered > 0)) {
      // As Node, a connection that sent nothing at all gets the 408 too.
      refuse(HttpResponseStatus.REQUEST_TIMEOUT);
    } else if (phase != Phase.ANSWERING) {
      // Idle, or a body still coming for a request already answered (and closing).
      done = true;
      ctx.close();
    }
  }

  /** Answers {@code status} with {@code Connection: close} and closes; the rest is not read. */
  private void refuse(HttpResponseStatus status) {
    done = true;
    cancelTimer();
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    // Nothing more is to be read from a connection that is being closed.
    ctx.channel().config().setAutoRead(false);
  }

  private static HttpResponseStatus statusFor(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
    }
    if (cause instanceof TooLongHttpLineException) {
      return HttpResponseStatus.REQUEST_URI_TOO_LONG;
    }
    return HttpResponseStatus.BAD_REQUEST;
  }

  /** Thread-safety: one instance per channel, used on that channel's loop. */
  private static final class RawReads extends ChannelInboundHandlerAdapter {
    private final HttpConnectionGuard guard;

    RawReads(HttpConnectionGuard guard) {
      this.guard = guard;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      guard.onBytes();
      ctx.fireChannelRead(msg);
    }
  }
}
