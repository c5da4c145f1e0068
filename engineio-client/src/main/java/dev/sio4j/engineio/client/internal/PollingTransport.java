package dev.sio4j.engineio.client.internal;

import dev.sio4j.engineio.client.EngineIoClientException;
import dev.sio4j.engineio.parser.EngineIoParseException;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.parser.TransportType;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP long-polling: one GET outstanding at a time to receive, one POST at a time to send, each on
 * its own keep-alive connection.
 *
 * <p>Thread-safety: confined to the client's event loop.
 */
final class PollingTransport extends Transport {
  private final HttpSlot pollSlot;
  private final HttpSlot postSlot;
  private boolean polling;
  private final List<Runnable> pollComplete = new ArrayList<>();
  private final List<Runnable> drained = new ArrayList<>();
  private boolean releasing;

  PollingTransport(TransportContext context, String sid) {
    super(context, sid);
    this.pollSlot = new HttpSlot(context);
    this.postSlot = new HttpSlot(context);
  }

  @Override
  TransportType type() {
    return TransportType.POLLING;
  }

  @Override
  protected void doOpen() {
    poll();
  }

  private String uri() {
    Map<String, String> q = new LinkedHashMap<>(query);
    if (context.options.timestampRequests()) {
      q.put(context.options.timestampParam(), TransportContext.randomString());
    }
    return context.pathAndQuery(q);
  }

  private void poll() {
    polling = true;
    pollSlot.request(
        HttpMethod.GET,
        uri(),
        null,
        (status, body, error) -> {
          if (state == State.CLOSED) {
            return;
          }
          if (error != null) {
            onError("xhr poll error", error);
          } else if (status != 200) {
            onError("xhr poll error", httpError(status, body.toString()));
          } else {
            onData(body);
          }
        });
  }

  private static EngineIoClientException httpError(int status, String body) {
    return new EngineIoClientException(
        "HTTP status " + status + (body.isEmpty() ? "" : ": " + body), null, status);
  }

  private void onData(HttpSlot.Body data) {
    List<Packet> packets = new ArrayList<>();
    try {
      if (data.isBinary()) {
        // Only v3 has binary payloads; v4's codec rejects one as malformed.
        context.codec.decodePayload(data.bytes(), packets::add);
      } else {
        context.codec.decodePayload(data.text(), packets::add);
      }
    } catch (EngineIoParseException e) {
      onError("parser error", e);
      return;
    }
    for (Packet packet : packets) {
      if (state == State.OPENING && packet.type() == PacketType.OPEN) {
        onOpen();
      }
      if (packet.type() == PacketType.CLOSE) {
        onClose("transport closed by the server");
        return;
      }
      onPacket(packet);
      if (state == State.CLOSED) {
        return;
      }
    }
    polling = false;
    runAll(pollComplete);
    if (state == State.OPEN) {
      poll();
    }
  }

  @Override
  protected void write(List<Outgoing> outgoing) {
    List<Packet> packets = new ArrayList<>(outgoing.size());
    for (Outgoing o : outgoing) {
      packets.add(o.packet());
    }
    writable = false;
    Optional<byte[]> binary =
        context.options.forceBase64()
            ? Optional.empty()
            : context.codec.encodeBinaryPayload(packets);
    HttpSlot.Callback onPosted =
        (status, body, error) -> {
          if (state == State.CLOSED) {
            return;
          }
          if (error != null) {
            onError("xhr post error", error);
          } else if (status != 200) {
            onError("xhr post error", httpError(status, body.toString()));
          } else {
            writable = true;
            runAll(drained);
            events.onDrain(this);
          }
        };
    if (binary.isPresent()) {
      // v3 with a binary packet: the binary payload form, as the reference's XHR client sends.
      postSlot.request(HttpMethod.POST, uri(), binary.get(), "application/octet-stream", onPosted);
    } else {
      postSlot.request(HttpMethod.POST, uri(), context.codec.encodePayload(packets), onPosted);
    }
  }

  @Override
  void pause(Runnable onPaused) {
    state = State.PAUSING;
    Runnable paused =
        () -> {
          state = State.PAUSED;
          onPaused.run();
        };
    int[] total = {0};
    if (polling) {
      total[0]++;
      pollComplete.add(
          () -> {
            if (--total[0] == 0) {
              paused.run();
            }
          });
    }
    if (!writable) {
      total[0]++;
      drained.add(
          () -> {
            if (--total[0] == 0) {
              paused.run();
            }
          });
    }
    if (total[0] == 0) {
      paused.run();
    }
  }

  @Override
  protected void doClose() {
    if (state != State.OPEN) {
      release();
      return;
    }
    // The close packet tells the server this is an orderly close ("transport close" there);
    // connections are dropped once it has been answered.
    releasing = true;
    postSlot.request(
        HttpMethod.POST,
        uri(),
        context.codec.encodePayload(List.of(Packet.CLOSE)),
        (status, body, error) -> releaseNow());
    context.loop.schedule(
        this::releaseNow,
        context.options.connectTimeout().toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Override
  protected void release() {
    if (!releasing) {
      releaseNow();
    }
  }

  private void releaseNow() {
    CompletableFuture.allOf(pollSlot.close(), postSlot.close())
        .whenComplete((v, e) -> released.complete(null));
  }

  private static void runAll(List<Runnable> callbacks) {
    if (callbacks.isEmpty()) {
      return;
    }
    List<Runnable> copy = new ArrayList<>(callbacks);
    callbacks.clear();
    copy.forEach(Runnable::run);
  }
}
