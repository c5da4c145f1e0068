package dev.sio4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.common.Ack;
import dev.sio4j.common.AckEventListener;
import dev.sio4j.common.AnyListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.common.internal.ListenerRegistry;
import dev.sio4j.common.internal.Listeners;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one server-side {@link Socket} and the dispatch of its incoming events:
 * catch-all listeners, then the packet middlewares, then the event's listeners, on the socket's
 * loop or its handler executor; and the outgoing, disconnect and error listeners. The socket owns
 * the state (connected or not) and the wire; this class only calls user code, and logs what user
 * code throws with the namespace, event and socket id.
 *
 * <p>Thread-safety: registration is thread-safe; dispatching runs on the socket's loop (handlers on
 * its serial handler executor when one is configured), one event at a time.
 */
final class EventDispatcher {
  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

  private final Socket socket;
  private final ListenerRegistry listeners = new ListenerRegistry();
  private final Listeners<PacketMiddleware> packetMiddlewares = new Listeners<>();
  private final Listeners<Consumer<DisconnectReason>> disconnectListeners = new Listeners<>();
  private final Listeners<Consumer<DisconnectReason>> disconnectingListeners = new Listeners<>();
  private final Listeners<Consumer<Throwable>> errorListeners = new Listeners<>();
  private final Executor handlerExecutor;

  EventDispatcher(Socket socket, Executor handlerExecutor) {
    this.socket = socket;
    this.handlerExecutor = handlerExecutor;
  }

  ListenerRegistry listeners() {
    return listeners;
  }

  Listeners<PacketMiddleware> packetMiddlewares() {
    return packetMiddlewares;
  }

  Listeners<Consumer<DisconnectReason>> disconnectListeners() {
    return disconnectListeners;
  }

  Listeners<Consumer<DisconnectReason>> disconnectingListeners() {
    return disconnectingListeners;
  }

  Listeners<Consumer<Throwable>> errorListeners() {
    return errorListeners;
  }

  /** An incoming event. Runs on the loop; the listeners run there or on the handler executor. */
  void onEvent(String event, Arguments args, Ack ack) {
    if (handlerExecutor != null) {
      handlerExecutor.execute(() -> dispatch(event, args, ack));
    } else {
      dispatch(event, args, ack);
    }
  }

  private void dispatch(String event, Arguments args, Ack ack) {
    for (AnyListener l : listeners.any()) {
      try {
        l.onEvent(event, args, ack);
      } catch (RuntimeException e) {
        log.warn(
            "catch-all listener failed on event '{}' of socket {} in namespace {}",
            event,
            socket.id(),
            socket.namespace().name(),
            e);
      }
    }
    runPacketMiddlewares(0, event, args, ack);
  }

  private void runPacketMiddlewares(int index, String event, Arguments args, Ack ack) {
    if (index >= packetMiddlewares.size()) {
      if (!socket.connected()) {
        return;
      }
      Listeners<AckEventListener> list = listeners.listeners(event);
      if (list == null) {
        return;
      }
      for (AckEventListener h : list) {
        try {
          h.onEvent(args, ack);
        } catch (RuntimeException e) {
          log.warn(
              "listener of event '{}' on socket {} in namespace {} failed",
              event,
              socket.id(),
              socket.namespace().name(),
              e);
          fireError(e);
        }
      }
      return;
    }
    AtomicBoolean done = new AtomicBoolean();
    packetMiddlewares
        .get(index)
        .handle(
            event,
            args,
            new Middleware.Next() {
              @Override
              public void proceed() {
                if (done.compareAndSet(false, true)) {
                  runPacketMiddlewares(index + 1, event, args, ack);
                }
              }

              @Override
              public void fail(String message) {
                fail(message, null);
              }

              @Override
              public void fail(String message, Object data) {
                if (done.compareAndSet(false, true)) {
                  fireError(new SocketIoException(message));
                }
              }
            });
  }

  boolean hasOutgoingListeners() {
    return !listeners.anyOutgoing().isEmpty();
  }

  /** An event this socket sends ({@code [event, ...args]}). Runs on the loop. */
  void onOutgoing(ArrayNode eventArray) {
    Listeners<AnyListener> outgoing = listeners.anyOutgoing();
    if (outgoing.isEmpty()) {
      return;
    }
    String event = eventArray.get(0).asText();
    Arguments args = Arguments.slice(socket.mapper(), eventArray, 1, eventArray.size());
    for (AnyListener l : outgoing) {
      try {
        l.onEvent(event, args);
      } catch (RuntimeException e) {
        log.warn(
            "outgoing listener failed on event '{}' of socket {} in namespace {}",
            event,
            socket.id(),
            socket.namespace().name(),
            e);
      }
    }
  }

  void fireError(Throwable error) {
    for (Consumer<Throwable> l : errorListeners) {
      try {
        l.accept(error);
      } catch (RuntimeException e) {
        log.warn(
            "error listener of socket {} in namespace {} failed",
            socket.id(),
            socket.namespace().name(),
            e);
      }
    }
  }

  void fireDisconnecting(DisconnectReason reason) {
    fire(disconnectingListeners, reason);
  }

  void fireDisconnect(DisconnectReason reason) {
    fire(disconnectListeners, reason);
  }

  private void fire(Listeners<Consumer<DisconnectReason>> list, DisconnectReason reason) {
    for (Consumer<DisconnectReason> l : list) {
      try {
        l.accept(reason);
      } catch (RuntimeException e) {
        log.warn(
            "disconnect listener of socket {} in namespace {} failed",
            socket.id(),
            socket.namespace().name(),
            e);
      }
    }
  }
}
