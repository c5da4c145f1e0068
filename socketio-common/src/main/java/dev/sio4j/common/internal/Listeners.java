package dev.sio4j.common.internal;

import dev.sio4j.common.Subscription;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A copy-on-write list of callbacks: what {@code CopyOnWriteArrayList} does, in one small object
 * with a shared empty array. A socket holds several such lists (one per event, catch-all,
 * middleware, disconnect and error listeners), nearly all empty or of one element, and tens of
 * thousands of idle server sockets made the general-purpose list (its lock object and its own empty
 * array) a visible part of the memory per connection.
 *
 * <p>Not part of the public API. Thread-safety: thread-safe. Changes are serialised on the
 * instance; readers and iterators see the snapshot of the moment they start, never a half-made
 * change.
 */
public final class Listeners<T> implements Iterable<T> {
  private static final Object[] EMPTY = new Object[0];

  private volatile Object[] items = EMPTY;

  /** Appends {@code item}; the subscription removes this occurrence's first match. */
  public Subscription add(T item) {
    synchronized (this) {
      Object[] old = items;
      Object[] next = Arrays.copyOf(old, old.length + 1);
      next[old.length] = item;
      items = next;
    }
    return () -> remove(item);
  }

  /** Inserts {@code item} before every other. */
  public Subscription addFirst(T item) {
    synchronized (this) {
      Object[] old = items;
      Object[] next = new Object[old.length + 1];
      next[0] = item;
      System.arraycopy(old, 0, next, 1, old.length);
      items = next;
    }
    return () -> remove(item);
  }

  /** Removes the first occurrence of {@code item}; false if it was not there. */
  public boolean remove(Object item) {
    return removeFirst(item::equals);
  }

  /** Removes the first element that matches; false if none did. */
  public synchronized boolean removeFirst(Predicate<Object> match) {
    Object[] old = items;
    for (int i = 0; i < old.length; i++) {
      if (match.test(old[i])) {
        Object[] next = new Object[old.length - 1];
        System.arraycopy(old, 0, next, 0, i);
        System.arraycopy(old, i + 1, next, i, old.length - i - 1);
        items = next.length == 0 ? EMPTY : next;
        return true;
      }
    }
    return false;
  }

  public synchronized void clear() {
    items = EMPTY;
  }

  public boolean isEmpty() {
    return items.length == 0;
  }

  public int size() {
    return items.length;
  }

  @SuppressWarnings("unchecked")
  public T get(int index) {
    return (T) items[index];
  }

  /** An unmodifiable copy of the current elements. */
  @SuppressWarnings("unchecked")
  public List<T> snapshot() {
    return (List<T>) List.of(items);
  }

  /**
   * Calls every listener of the current snapshot; a throwing listener is reported (WARN, naming
   * {@code kind}, {@code event} and the context's socket and namespace) and does not stop the
   * others.
   */
  @SuppressWarnings("unchecked")
  public void fire(Consumer<? super T> call, CallbackContext context, String kind, String event) {
    for (Object item : items) {
      try {
        call.accept((T) item);
      } catch (RuntimeException | Error e) {
        UserCallbacks.failed(context, kind, event, e);
      }
    }
  }

  /** Runs user code, reporting (WARN) what it throws instead of letting it unwind the caller. */
  public static void safely(Runnable r, CallbackContext context, String kind, String event) {
    try {
      r.run();
    } catch (RuntimeException | Error e) {
      UserCallbacks.failed(context, kind, event, e);
    }
  }

  @Override
  public Iterator<T> iterator() {
    Object[] snapshot = items;
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < snapshot.length;
      }

      @Override
      @SuppressWarnings("unchecked")
      public T next() {
        if (next >= snapshot.length) {
          throw new NoSuchElementException();
        }
        return (T) snapshot[next++];
      }
    };
  }
}
