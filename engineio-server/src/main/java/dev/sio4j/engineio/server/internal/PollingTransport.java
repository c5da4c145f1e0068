package dev.sio4j.engineio.server.internal;

import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.EngineIoParseException;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.server.EngineIoRequest;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * HTTP long-polling: a held GET receives what the server has to send, a POST carries what the
 * client sends. At most one GET at a time; a second one is an "overlap" that closes the session, as
 * in the reference. With the {@code j} query parameter the same transport speaks JSONP.
 *
 * <p>Thread-safety: confined to the session's event loop; requests arriving on other channels are
 * handed to it by {@link PollingDispatch}.
 */
final class PollingTransport extends Transport {
  private static final long CLOSE_GRACE_MS = 200;
  private static final String TEXT_PLAIN = "text/plain; charset=UTF-8";

  private final EngineIoServerCore server;
  private final EventLoop loop;
  private final boolean supportsBinary;
  private final String jsonpIndex;
  private HttpExchange pendingGet;
  private ChannelFutureListener pendingGetCloseListener;
  private Runnable shouldClose;
  private ScheduledFuture<?> closeTimeoutTimer;
  private ScheduledFuture<?> closeOnNextPoll;

  /** The POST whose body is being read, from its head on; null when none. */
  private PostBody pendingPost;

  PollingTransport(
      EngineIoServerCore server, EventLoop loop, EngineIoCodec codec, EngineIoRequest request) {
    super(codec);
    this.server = server;
    this.loop = loop;
    String j = request.query().get("j");
    this.jsonpIndex = j == null ? null : j.replaceAll("[^0-9]", "");
    this.supportsBinary = jsonpIndex == null && !request.query().containsKey("b64");
  }

  @Override
  TransportType type() {
    return TransportType.POLLING;
  }

  boolean isJsonp() {
    return jsonpIndex != null;
  }

  /** A GET: hold it until there is something to send. */
  void onPollRequest(HttpExchange exchange) {
    if (closeOnNextPoll != null) {
      // The client's close packet overtook this GET (they travel on different connections): end
      // the GET with a noop, as if it had been pending when the close arrived.
      closeOnNextPoll.cancel(false);
      closeOnNextPoll = null;
      pendingGet = exchange;
      pendingGetCloseListener = f -> {};
      writable = true;
      send(new Outgoing(Packet.NOOP, true));
      super.onClose();
      return;
    }
    if (pendingGet != null) {
      onError("overlap from client");
      exchange.respond(400, null, new byte[0], null, false);
      return;
    }
    pendingGet = exchange;
    pendingGetCloseListener = f -> loop.execute(() -> onPollConnectionClosed(exchange));
    exchange.channel.closeFuture().addListener(pendingGetCloseListener);
    writable = true;
    if (listener != null) {
      listener.onReady();
    }
    if (writable && shouldClose != null) {
      send(new Outgoing(Packet.NOOP, true));
    }
  }

  private void onPollConnectionClosed(HttpExchange exchange) {
    if (pendingGet == exchange) {
      clearPendingGet();
      writable = false;
      onError("poll connection closed prematurely");
    }
  }

  /**
   * A POST's head arrived. One POST at a time, as in the reference: a second one while the first is
   * in flight gets a 400 and closes the session (which aborts the first).
   */
  void onPostStarted(PostBody post) {
    if (state != State.OPEN) {
      return;
    }
    if (pendingPost != null) {
      post.refuse();
      onError("data request overlap from client");
      return;
    }
    pendingPost = post;
  }

  /** The POST in flight ended without a body (too large, or its connection lost). */
  void onPostFailed(PostBody post, String why) {
    if (pendingPost != post) {
      return;
    }
    pendingPost = null;
    onError(why);
  }

  /** Whether a POST's body is being read (for tests). */
  boolean hasPostInFlight() {
    return pendingPost != null;
  }

  /** A transport that closes ends the POST in flight without an answer, as the reference does. */
  private void abortPendingPost() {
    if (pendingPost != null) {
      PostBody post = pendingPost;
      pendingPost = null;
      post.abort();
    }
  }

  /**
   * A complete POST body. Packets are delivered in order; a {@code close} packet ends the
   * transport; a malformed record closes the session with "parse error" and the POST gets a 400.
   */
  void onDataRequest(HttpExchange exchange, byte[] body, boolean binaryBody, PostBody post) {
    if (pendingPost == post) {
      pendingPost = null;
    }
    // Set once a packet ended the delivery (a close packet, or the transport closed under it); the
    // rest of the payload is still decoded, so that a malformed record after it is a parse error
    // as in the reference.
    boolean[] stopped = {false};
    Consumer<Packet> sink =
        p -> {
          if (!stopped[0] && !deliver(p)) {
            stopped[0] = true;
          }
        };
    try {
      if (binaryBody) {
        codec.decodePayload(body, sink);
      } else {
        codec.decodePayload(decodeText(body), sink);
      }
    } catch (EngineIoParseException e) {
      exchange.respond(400, null, new byte[0], null, false);
      if (listener != null) {
        listener.onParseError(e.getMessage());
      }
      return;
    }
    exchange.respond(200, "text/html", new byte[] {'o', 'k'});
  }

  private String decodeText(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    return isJsonp() ? Jsonp.unwrapPostBody(text) : text;
  }

  /** Hands one packet on; false when nothing more of the payload is to be delivered. */
  private boolean deliver(Packet p) {
    if (p.type() == PacketType.CLOSE) {
      if (pendingGet == null && state == State.OPEN && closeOnNextPoll == null) {
        // A client closes while a GET is outstanding; that GET may still be on its way to this
        // loop. Give it a moment to arrive so it can be answered, as the reference would.
        closeOnNextPoll =
            loop.schedule(
                () -> {
                  closeOnNextPoll = null;
                  onClose();
                },
                CLOSE_GRACE_MS,
                TimeUnit.MILLISECONDS);
        return false;
      }
      onClose();
      return false;
    }
    if (listener != null) {
      listener.onPacket(p);
    }
    return state != State.CLOSED;
  }

  @Override
  void onClose() {
    abortPendingPost();
    if (writable) {
      send(new Outgoing(Packet.NOOP, true));
    }
    super.onClose();
  }

  @Override
  void send(List<Outgoing> packets) {
    writable = false;
    if (shouldClose != null) {
      packets.add(new Outgoing(Packet.CLOSE, true));
      Runnable fn = shouldClose;
      shouldClose = null;
      fn.run();
    }
    HttpExchange exchange = pendingGet;
    if (exchange == null) {
      return;
    }
    clearPendingGet();
    boolean compress = false;
    List<Packet> list = new ArrayList<>(packets.size());
    for (Outgoing o : packets) {
      list.add(o.packet);
      compress |= o.compress;
    }
    Optional<byte[]> binary = supportsBinary ? codec.encodeBinaryPayload(list) : Optional.empty();
    if (binary.isPresent()) {
      write(exchange, binary.get(), "application/octet-stream", compress);
    } else {
      write(exchange, wrap(codec.encodePayload(list)), TEXT_PLAIN, compress);
    }
  }

  private byte[] wrap(String payload) {
    String text = isJsonp() ? Jsonp.wrap(jsonpIndex, payload) : payload;
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private void write(HttpExchange exchange, byte[] body, String contentType, boolean compress) {
    EngineIoOptions options = server.options();
    String encoding = null;
    if (options.httpCompression()
        && compress
        && body.length >= options.httpCompressionThreshold()) {
      encoding = negotiateEncoding(exchange.acceptEncoding);
      if (encoding != null) {
        body = compress(body, encoding);
      }
    }
    exchange.respond(200, contentType, body, encoding, true);
  }

  /**
   * The encoding the reference's {@code accepts(req).encodings(["gzip", "deflate"])} picks: the
   * accepted one with the highest quality, then the more specific match (a name over {@code *}),
   * then the one listed first by the client, then gzip; null when neither is acceptable.
   */
  static String negotiateEncoding(String acceptEncoding) {
    if (acceptEncoding == null || acceptEncoding.isEmpty()) {
      return null;
    }
    String[] parts = acceptEncoding.split(",");
    String[] names = new String[parts.length];
    double[] qualities = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String[] pieces = parts[i].trim().split(";");
      names[i] = pieces[0].trim().toLowerCase(java.util.Locale.ROOT);
      qualities[i] = 1;
      for (int j = 1; j < pieces.length; j++) {
        String param = pieces[j].trim();
        if (param.startsWith("q=")) {
          try {
            qualities[i] = Double.parseDouble(param.substring(2));
          } catch (NumberFormatException e) {
            qualities[i] = 0;
          }
        }
      }
    }
    String[] offered = {"gzip", "deflate"};
    String best = null;
    double bestQ = 0;
    int bestS = 0;
    int bestO = 0;
    for (String encoding : offered) {
      // the client's best entry for this encoding: exact name over '*', then quality, then later
      double q = 0;
      int s = 0;
      int o = -1;
      for (int i = 0; i < names.length; i++) {
        int spec;
        if (names[i].equals(encoding)) {
          spec = 1;
        } else if (names[i].equals("*")) {
          spec = 0;
        } else {
          continue;
        }
        if (spec > s || (spec == s && (qualities[i] > q || (qualities[i] == q && i > o)))) {
          q = qualities[i];
          s = spec;
          o = i;
        }
      }
      if (!(q > 0)) {
        continue;
      }
      if (best == null || q > bestQ || (q == bestQ && (s > bestS || (s == bestS && o < bestO)))) {
        best = encoding;
        bestQ = q;
        bestS = s;
        bestO = o;
      }
    }
    return best;
  }

  private static byte[] compress(byte[] body, String encoding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
    try (OutputStream z =
        encoding.equals("gzip") ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
      z.write(body);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory compression failed", e);
    }
    return out.toByteArray();
  }

  private void clearPendingGet() {
    if (pendingGet != null) {
      pendingGet.channel.closeFuture().removeListener(pendingGetCloseListener);
      pendingGet = null;
      pendingGetCloseListener = null;
    }
  }

  @Override
  void doClose(Runnable onClosed) {
    abortPendingPost();
    if (closeOnNextPoll != null) {
      closeOnNextPoll.cancel(false);
      closeOnNextPoll = null;
    }
    Runnable[] once = new Runnable[1];
    once[0] =
        () -> {
          if (once[0] == null) {
            return;
          }
          once[0] = null;
          if (closeTimeoutTimer != null) {
            closeTimeoutTimer.cancel(false);
          }
          onClosed.run();
          onClose();
        };
    if (writable) {
      send(new Outgoing(Packet.CLOSE, true));
      once[0].run();
    } else if (discarded) {
      once[0].run();
    } else {
      shouldClose = () -> once[0].run();
      closeTimeoutTimer =
          loop.schedule(
              () -> once[0].run(),
              server.options().closeTimeout().toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }
}
