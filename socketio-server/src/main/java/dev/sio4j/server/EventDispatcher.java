package dev.sio4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.common.Ack;
import dev.sio4j.common.AckEventListener;
import dev.sio4j.common.AnyListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketIoException;
import dev.sio4j.common.internal.CallbackContext;
import dev.sio4j.common.internal.ListenerRegistry;
import dev.sio4j.common.internal.Listeners;
import dev.sio4j.common.internal.UserCallbacks;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one server-side {@link Socket} and the dispatch of its incoming events:
 * catch-all listeners, then the packet middlewares, then the event's listeners; and the outgoing,
 * disconnect and error listeners. The socket owns the state (connected or not) and the wire; this
 * class only calls user code, and logs what user code throws with the namespace, event and socket
 * id.
 *
 * <p>Where listeners run: on the socket's event loop, or, with a handler executor, on the socket's
 * serial queue over it. Everything that reaches user code from the connection goes through that one
 * place in arrival order: events, errors, and the {@code disconnecting} and {@code disconnect}
 * listeners, which so run after the handlers of every event received before the disconnection. A
 * middleware chain continued later from another thread ({@code next.proceed()}) hops back there.
 *
 * <p>Thread-safety: registration is thread-safe; the entry points ({@link #onEvent}, {@link
 * #onError}, {@link #onClose}) are called on the socket's loop; listeners run one at a time.
 */
final class EventDispatcher implements CallbackContext {
  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

  private final Socket socket;
  private final ListenerRegistry listeners = new ListenerRegistry();
  private final Listeners<PacketMiddleware> packetMiddlewares = new Listeners<>();
  private final Listeners<Consumer<DisconnectReason>> disconnectListeners = new Listeners<>();
  private final Listeners<Consumer<DisconnectReason>> disconnectingListeners = new Listeners<>();
  private final Listeners<Consumer<Throwable>> errorListeners = new Listeners<>();

  /** The socket's serial queue on the handler executor, or null: listeners run on the loop. */
  private final SerialExecutor handlerQueue;

  /**
   * Set where listeners run, once the disconnecting listeners ran: a middleware chain that
   * completes after that drops its event, as the reference does. An event received before the
   * disconnection is queued before it, so it still sees this false.
   */
  private volatile boolean closed;

  EventDispatcher(Socket socket, SerialExecutor handlerQueue) {
    this.socket = socket;
    this.handlerQueue = handlerQueue;
  }

  @Override
  public String namespace() {
    return socket.namespace().name();
  }

  @Override
  public String socketId() {
    return socket.id();
  }

  @Override
  public Logger logger() {
    return log;
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

  /** Whether listeners run on a handler executor (so after the loop moved on). */
  boolean queued() {
    return handlerQueue != null;
  }

  /** Runs {@code task} where listeners run, after those already submitted. Called on the loop. */
  private void inOrder(Runnable task) {
    if (handlerQueue != null) {
      handlerQueue.execute(task);
    } else {
      task.run();
    }
  }

  /** Runs {@code task} where listeners run: in place if this thread is there, else queued there. */
  private void continueThere(Runnable task) {
    if (handlerQueue != null) {
      if (handlerQueue.inQueue()) {
        task.run();
      } else {
        handlerQueue.execute(task);
      }
    } else {
      socket.onLoop(task);
    }
  }

  /** An incoming event. Called on the loop: whether it is delivered is decided now. */
  void onEvent(String event, Arguments args, Ack ack) {
    inOrder(() -> dispatch(event, args, ack));
  }

  /** An error of the connection (an invalid packet). Called on the loop. */
  void onError(Throwable error) {
    inOrder(() -> fireError(error));
  }

  /**
   * The socket leaves: {@code disconnecting} listeners, {@code leave} (called on the loop), then
   * {@code disconnect} listeners. With a handler executor, {@code leave} runs at once and the
   * listeners run behind the events already queued; the disconnecting ones see {@code rooms}, the
   * rooms the socket was in. Called on the loop.
   */
  void onClose(DisconnectReason reason, Runnable leave, Set<String> rooms) {
    if (handlerQueue == null) {
      fireDisconnecting(reason);
      leave.run();
      fireDisconnect(reason);
      return;
    }
    leave.run();
    handlerQueue.execute(
        () -> {
          socket.showRoomsWhileDisconnecting(rooms);
          try {
            fireDisconnecting(reason);
          } finally {
            socket.showRoomsWhileDisconnecting(null);
          }
          fireDisconnect(reason);
        });
  }

  private void dispatch(String event, Arguments args, Ack ack) {
    for (AnyListener l : listeners.any()) {
      try {
        l.onEvent(event, args, ack);
      } catch (RuntimeException e) {
        UserCallbacks.failed(this, "catch-all listener", event, e);
      }
    }
    // The chain of the moment the event arrived, as the reference copies its list: a middleware
    // added meanwhile applies from the next event on.
    runPacketMiddlewares(packetMiddlewares.snapshot(), 0, event, args, ack);
  }

  private void runPacketMiddlewares(
      List<PacketMiddleware> chain, int index, String event, Arguments args, Ack ack) {
    if (index >= chain.size()) {
      if (closed) {
        log.debug(
            "event '{}' of socket {} in namespace {} dropped: disconnected meanwhile",
            event,
            socket.id(),
            socket.namespace().name());
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
          // Also a typed listener's ArgumentTypeException: logged without a stack trace, and, as
          // the reference does with an event a socket.use() middleware refused, handed to the
          // error listeners while the client hears nothing.
          UserCallbacks.failed(this, "listener", event, e);
          fireError(e);
        }
      }
      return;
    }
    AtomicBoolean done = new AtomicBoolean();
    Middleware.Next next =
        new Middleware.Next() {
          @Override
          public void proceed() {
            if (done.compareAndSet(false, true)) {
              continueThere(() -> runPacketMiddlewares(chain, index + 1, event, args, ack));
            }
          }

          @Override
          public void fail(String message) {
            fail(message, null);
          }

          @Override
          public void fail(String message, Object data) {
            if (done.compareAndSet(false, true)) {
              continueThere(() -> fireError(new SocketIoException(message)));
            }
          }
        };
    try {
      chain.get(index).handle(event, args, next);
    } catch (RuntimeException e) {
      UserCallbacks.failed(this, "packet middleware", event, e);
      next.fail(e.getMessage() == null ? e.toString() : e.getMessage());
    }
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
        UserCallbacks.failed(this, "outgoing listener", event, e);
      }
    }
  }

  private void fireError(Throwable error) {
    for (Consumer<Throwable> l : errorListeners) {
      try {
        l.accept(error);
      } catch (RuntimeException e) {
        UserCallbacks.failed(this, "error listener", "error", e);
      }
    }
  }

  private void fireDisconnecting(DisconnectReason reason) {
    fire(disconnectingListeners, reason, "disconnecting");
    closed = true;
  }

  private void fireDisconnect(DisconnectReason reason) {
    fire(disconnectListeners, reason, "disconnect");
  }

  private void fire(
      Listeners<Consumer<DisconnectReason>> list, DisconnectReason reason, String event) {
    for (Consumer<DisconnectReason> l : list) {
      try {
        l.accept(reason);
      } catch (RuntimeException e) {
        UserCallbacks.failed(this, event + " listener", event, e);
      }
    }
  }
}
