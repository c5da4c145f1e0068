package dev.sio4j.engineio.servlet;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A WebSocket upgrade request, decided on the channel's loop and carried out by the servlet thread
 * that waits for the decision: the container upgrades only from within the request's own
 * processing. The decision is a refusal (a response to write) or an acceptance (the headers of the
 * 101 and what to do once the WebSocket is open).
 *
 * <p>Thread-safety: the sink's methods run on the channel's loop; {@link #decision} is completed
 * once, by the first of them.
 */
final class UpgradeExchange implements RequestChannel.Sink {
  /** A refusal: the response to write instead of the upgrade. */
  record Refusal(int status, List<Map.Entry<String, String>> headers, byte[] body) {}

  /** An acceptance. */
  record Accept(Map<String, List<String>> headers, Consumer<Channel> onOpen) {}

  /** The channel closed without a decision. */
  static final Object CLOSED = new Object();

  final CompletableFuture<Object> decision = new CompletableFuture<>();

  @Override
  public void respond(FullHttpResponse r) {
    decision.complete(
        new Refusal(
            r.status().code(),
            new ArrayList<>(r.headers().entries()),
            ByteBufUtil.getBytes(r.content())));
  }

  @Override
  public void upgrade(Map<String, List<String>> headers, Consumer<Channel> onOpen) {
    decision.complete(new Accept(headers, onOpen));
  }

  @Override
  public void closed() {
    decision.complete(CLOSED);
  }
}
