package dev.sio4j.client;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread-safe listener list whose listeners are called on the event loop; a throwing listener is
 * logged and does not stop the others.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Listeners<T> {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);
  private final CopyOnWriteArrayList<T> list = new CopyOnWriteArrayList<>();

  Subscription add(T listener) {
    list.add(listener);
    return () -> list.remove(listener);
  }

  void prepend(T listener) {
    list.add(0, listener);
  }

  boolean remove(T listener) {
    return list.remove(listener);
  }

  void clear() {
    list.clear();
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  java.util.List<T> snapshot() {
    return java.util.List.copyOf(list);
  }

  void fire(Consumer<T> call) {
    for (T listener : list) {
      safely(() -> call.accept(listener));
    }
  }

  static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException | Error e) {
      log.warn("socket.io client listener threw", e);
    }
  }
}
