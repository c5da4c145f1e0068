package dev.sio4j.common.internal;

import dev.sio4j.common.Ack;
import dev.sio4j.common.AckEventListener;
import dev.sio4j.common.AnyListener;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.EventListener;
import dev.sio4j.common.Listenable;
import dev.sio4j.common.Subscription;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The event listeners of one socket, server or client: {@code on}, {@code once}, {@code off} per
 * event name, and the incoming and outgoing catch-all lists. Dispatching is the socket's job (the
 * server runs packet middlewares in between, each side logs failures with its own context); it
 * reads {@link #listeners(String)}, {@link #any()} and {@link #anyOutgoing()} and calls each
 * element, a {@code once} registration removing itself on its first call.
 *
 * <p>Not part of the public API. Thread-safety: thread-safe. Registration may happen from any
 * thread; the changes to one event's list are serialised, so a registration racing with the removal
 * of an event's last listener is never lost.
 */
public final class ListenerRegistry implements Listenable {
  private final ConcurrentHashMap<String, Listeners<AckEventListener>> events =
      new ConcurrentHashMap<>(8);
  private final Listeners<AnyListener> any = new Listeners<>();
  private final Listeners<AnyListener> anyOutgoing = new Listeners<>();

  /**
   * Adds a listener for {@code event}; the wrappers of {@link #adapt} and {@link #onceOf} (what
   * {@link Listenable}'s overloads pass) are recognised.
   */
  @Override
  public Subscription on(String event, AckEventListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (listener instanceof OnceRequest r) {
      return add(event, new Once(this, event, r.original(), r.call()));
    }
    return add(event, listener);
  }

  /**
   * {@code listener} as an {@link AckEventListener} that ignores the ack; {@code off} with {@code
   * listener} still finds it.
   */
  public static AckEventListener adapt(EventListener listener) {
    return new Adapted(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * A request, for {@link #on(String, AckEventListener)}, to register {@code call} removed before
   * its first call; {@code original} is what the caller may pass to {@code off}.
   */
  public static AckEventListener onceOf(Object original, AckEventListener call) {
    Objects.requireNonNull(original, "listener");
    return new OnceRequest(original, call);
  }

  private Subscription add(String event, AckEventListener item) {
    Objects.requireNonNull(event, "event");
    events.compute(
        event,
        (name, list) -> {
          Listeners<AckEventListener> l = list == null ? new Listeners<>() : list;
          l.add(item);
          return l;
        });
    return () -> removeItem(event, item);
  }

  /**
   * Removes the first registration of {@code listener} for {@code event} (made with {@code on} or
   * {@code once}); false if there was none.
   */
  public boolean off(String event, Object listener) {
    Objects.requireNonNull(listener, "listener");
    return removeMatching(
        event, item -> item == listener || (item instanceof Wrapper w && w.original() == listener));
  }

  /** Removes every listener of {@code event}. */
  public void off(String event) {
    events.remove(Objects.requireNonNull(event, "event"));
  }

  /** Removes every listener of every event (not the catch-all ones). */
  public void offAll() {
    events.clear();
  }

  boolean removeItem(String event, Object item) {
    return removeMatching(event, i -> i == item);
  }

  private boolean removeMatching(String event, Predicate<Object> match) {
    boolean[] removed = {false};
    events.computeIfPresent(
        event,
        (name, list) -> {
          removed[0] = list.removeFirst(match);
          return list.isEmpty() ? null : list;
        });
    return removed[0];
  }

  /** The listeners of {@code event} at this moment, or {@code null} when it has none. */
  public Listeners<AckEventListener> listeners(String event) {
    return events.get(event);
  }

  /** Whether {@code event} has listeners. */
  public boolean hasListeners(String event) {
    return events.containsKey(event);
  }

  /** The incoming catch-all listeners ({@code onAny}, {@code prependAny}, {@code offAny}). */
  public Listeners<AnyListener> any() {
    return any;
  }

  /** The outgoing catch-all listeners ({@code onAnyOutgoing}...). */
  public Listeners<AnyListener> anyOutgoing() {
    return anyOutgoing;
  }

  /** A registration made for another shape of listener, still known by the user's object. */
  private interface Wrapper {
    Object original();
  }

  private record Adapted(EventListener original) implements AckEventListener, Wrapper {
    @Override
    public void onEvent(Arguments args, Ack ack) {
      original.onEvent(args);
    }
  }

  /** Never registered itself: {@link #on} turns it into a {@link Once}. */
  private record OnceRequest(Object original, AckEventListener call) implements AckEventListener {
    @Override
    public void onEvent(Arguments args, Ack ack) {
      call.onEvent(args, ack);
    }
  }

  /** Removes itself, then calls: a concurrent second dispatch cannot call it twice. */
  private static final class Once implements AckEventListener, Wrapper {
    private final ListenerRegistry owner;
    private final String event;
    private final Object original;
    private final AckEventListener call;

    Once(ListenerRegistry owner, String event, Object original, AckEventListener call) {
      this.owner = owner;
      this.event = event;
      this.original = original;
      this.call = call;
    }

    @Override
    public Object original() {
      return original;
    }

    @Override
    public void onEvent(Arguments args, Ack ack) {
      if (owner.removeItem(event, this)) {
        call.onEvent(args, ack);
      }
    }
  }
}
