package dev.sio4j.server;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A copy-on-write list of callbacks: what {@code CopyOnWriteArrayList} does, in one small object
 * with a shared empty array. A socket holds several such lists (one per event, catch-all,
 * middleware, disconnect and error listeners), nearly all empty or of one element, and tens of
 * thousands of idle sockets made the general-purpose list (its lock object and its own empty array)
 * a visible part of the memory per connection.
 *
 * <p>Thread-safety: thread-safe. Changes are serialised on the instance; readers and iterators see
 * the snapshot of the moment they start, never a half-made change.
 */
final class Listeners<T> implements Iterable<T> {
  private static final Object[] EMPTY = new Object[0];

  private volatile Object[] items = EMPTY;

  synchronized void add(T item) {
    Object[] old = items;
    Object[] next = Arrays.copyOf(old, old.length + 1);
    next[old.length] = item;
    items = next;
  }

  synchronized void addFirst(T item) {
    Object[] old = items;
    Object[] next = new Object[old.length + 1];
    next[0] = item;
    System.arraycopy(old, 0, next, 1, old.length);
    items = next;
  }

  /** Removes the first occurrence of {@code item}; false if it was not there. */
  synchronized boolean remove(Object item) {
    Object[] old = items;
    for (int i = 0; i < old.length; i++) {
      if (old[i].equals(item)) {
        Object[] next = new Object[old.length - 1];
        System.arraycopy(old, 0, next, 0, i);
        System.arraycopy(old, i + 1, next, i, old.length - i - 1);
        items = next.length == 0 ? EMPTY : next;
        return true;
      }
    }
    return false;
  }

  synchronized void clear() {
    items = EMPTY;
  }

  boolean isEmpty() {
    return items.length == 0;
  }

  int size() {
    return items.length;
  }

  @SuppressWarnings("unchecked")
  T get(int index) {
    return (T) items[index];
  }

  /** An unmodifiable copy of the current elements. */
  @SuppressWarnings("unchecked")
  List<T> snapshot() {
    return (List<T>) List.of(items);
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
