package dev.sio4j.engineio.client.internal;

import dev.sio4j.engineio.client.EngineIoClientException;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.TransportType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Base of the client transports, mirroring the reference's transport life cycle: {@code open()} →
 * {@code onOpen} → packets / {@code send} / {@code onDrain} → {@code close()} or {@code onClose}.
 *
 * <p>Thread-safety: confined to the client's event loop.
 */
abstract class Transport {

  /** What a transport reports to its owner; replaced by {@link #NONE} when detached. */
  interface Events {
    void onOpen(Transport t);

    void onPacket(Transport t, Packet packet);

    void onDrain(Transport t);

    void onError(Transport t, EngineIoClientException error);

    void onClose(Transport t, String description);
  }

  static final Events NONE =
      new Events() {
        @Override
        public void onOpen(Transport t) {}

        @Override
        public void onPacket(Transport t, Packet packet) {}

        @Override
        public void onDrain(Transport t) {}

        @Override
        public void onError(Transport t, EngineIoClientException error) {}

        @Override
        public void onClose(Transport t, String description) {}
      };

  enum State {
    NEW,
    OPENING,
    OPEN,
    PAUSING,
    PAUSED,
    CLOSED
  }

  final TransportContext context;
  final Map<String, String> query;
  final CompletableFuture<Void> released = new CompletableFuture<>();
  Events events = NONE;
  State state = State.NEW;
  boolean writable;

  Transport(TransportContext context, String sid) {
    this.context = context;
    this.query = new LinkedHashMap<>(context.options.query());
    query.put("EIO", Integer.toString(context.codec.protocol()));
    query.put("transport", type().wireName());
    if (sid != null) {
      query.put("sid", sid);
    }
    if (context.options.forceBase64()) {
      // The server then sends binary as base64 text too.
      query.put("b64", "1");
    }
  }

  abstract TransportType type();

  final void open() {
    state = State.OPENING;
    doOpen();
  }

  /** Closes the transport; the owner is told through {@code onClose} unless detached. */
  final void close() {
    if (state == State.OPENING || state == State.OPEN) {
      doClose();
      onClose("transport closed by the client");
    } else if (state != State.CLOSED) {
      release();
      state = State.CLOSED;
    }
  }

  final void send(List<Outgoing> packets) {
    if (state == State.OPEN) {
      write(packets);
    }
  }

  /** Stops receiving so that another transport can take over; {@code onPaused} runs once done. */
  void pause(Runnable onPaused) {
    onPaused.run();
  }

  final void detach() {
    events = NONE;
  }

  void setSid(String sid) {
    query.put("sid", sid);
  }

  protected final void onOpen() {
    state = State.OPEN;
    writable = true;
    events.onOpen(this);
  }

  protected final void onPacket(Packet packet) {
    events.onPacket(this, packet);
  }

  protected final void onError(String message, Throwable cause) {
    if (state == State.CLOSED) {
      return;
    }
    EngineIoClientException error =
        cause instanceof EngineIoClientException e && e.getMessage().equals(message)
            ? e
            : new EngineIoClientException(message, cause, httpStatus(cause));
    events.onError(this, error);
  }

  private static int httpStatus(Throwable cause) {
    return cause instanceof EngineIoClientException e ? e.httpStatus().orElse(0) : 0;
  }

  protected final void onClose(String description) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    release();
    events.onClose(this, description);
  }

  protected abstract void doOpen();

  /** Starts an orderly close (close packet or frame); resources are released afterwards. */
  protected abstract void doClose();

  protected abstract void write(List<Outgoing> packets);

  /** Releases connections without a goodbye; completes {@link #released}. */
  protected abstract void release();
}
