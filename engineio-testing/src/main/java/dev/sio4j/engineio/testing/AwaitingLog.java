package dev.sio4j.engineio.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A bounded log of what a test observed (events, messages, callbacks), in the order it happened,
 * that the test waits on with timeouts. It is the one recording core of sio4j's test support: the
 * Socket.IO {@code EventRecorder}, {@link LineLog} and the Engine.IO recorders of sio4j's own tests
 * are views over it.
 *
 * <p>Callbacks {@link #add} entries from whatever thread they run on (an event loop, a client's
 * event thread); the test thread waits for them. Each entry can be <em>taken</em> once: {@link
 * #await} takes the first matching entry not taken yet, so two awaits of the same kind return two
 * successive entries while entries of other kinds stay for later awaits. {@link #awaitSeen} waits
 * without taking, for facts that several checks may ask about ("the session closed").
 *
 * <p>Bounded: it keeps at most {@link #capacity()} entries. Further entries are dropped and counted
 * ({@link #dropped()}); from then on a wait that finds no match fails at once, saying so, instead
 * of waiting for an entry that may have been dropped, and {@link #assertNone} fails (it can no
 * longer prove an absence).
 *
 * <p>Every wait is bounded by the timeout it is given. A failed wait or assertion is an {@link
 * AssertionError} whose message names what was awaited, the timeout and the last entries recorded
 * (their {@code toString()}).
 *
 * <p>Thread-safety: thread-safe. Entries may be added from any number of threads while any number
 * of threads wait; an entry is taken by exactly one {@link #await}. Entries are kept as given: they
 * should be immutable.
 *
 * @param <T> the type of the entries
 */
public final class AwaitingLog<T> {
  /** The capacity of a log created without one. */
  public static final int DEFAULT_CAPACITY = 10_000;

  /** How many of the last entries a failure message shows. */
  private static final int SHOWN = 20;

  private final int capacity;
  private final Object lock = new Object();
  // Guarded by lock.
  private final List<T> entries = new ArrayList<>();
  private final BitSet taken = new BitSet();
  private long dropped;

  /** A log of at most {@link #DEFAULT_CAPACITY} entries. */
  public AwaitingLog() {
    this(DEFAULT_CAPACITY);
  }

  /**
   * A log of at most {@code capacity} entries.
   *
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public AwaitingLog(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Records {@code entry} and wakes the waiters. Never blocks.
   *
   * @return false if the log is full and the entry was dropped
   */
  public boolean add(T entry) {
    Objects.requireNonNull(entry, "entry");
    synchronized (lock) {
      if (entries.size() >= capacity) {
        dropped++;
        lock.notifyAll();
        return false;
      }
      entries.add(entry);
      lock.notifyAll();
      return true;
    }
  }

  /**
   * Takes the first entry not taken yet that {@code matcher} accepts, waiting up to {@code timeout}
   * for one to be added.
   *
   * @param what names the awaited entry in the failure message (e.g. {@code "event 'news'"})
   * @throws AssertionError if none is there within {@code timeout}
   */
  public T await(Predicate<? super T> matcher, Duration timeout, String what) {
    return awaitCount(matcher, 1, timeout, what).get(0);
  }

  /**
   * Takes the first {@code count} entries not taken yet that {@code matcher} accepts, waiting up to
   * {@code timeout} until there are that many. Takes nothing if there are fewer by then.
   *
   * @throws AssertionError if fewer than {@code count} are there within {@code timeout}
   * @throws IllegalArgumentException if {@code count} is not positive
   */
  public List<T> awaitCount(
      Predicate<? super T> matcher, int count, Duration timeout, String what) {
    Objects.requireNonNull(matcher, "matcher");
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    int[] have = {0};
    return waitUntil(
        () -> {
          List<Integer> found = untaken(matcher, count);
          have[0] = found.size();
          if (found.size() < count) {
            return null;
          }
          List<T> out = new ArrayList<>(count);
          for (int i : found) {
            taken.set(i);
            out.add(entries.get(i));
          }
          return out;
        },
        timeout,
        () -> count == 1 ? "no " + what : "only " + have[0] + " of " + count + " " + what);
  }

  /**
   * Waits up to {@code timeout} for a matching entry not taken yet, then takes it together with
   * every entry not taken before it ("everything up to X"). Returns them in order, the match last.
   *
   * @throws AssertionError if none is there within {@code timeout}; nothing is taken then
   */
  public List<T> awaitThrough(Predicate<? super T> matcher, Duration timeout, String what) {
    Objects.requireNonNull(matcher, "matcher");
    return waitUntil(
        () -> {
          List<Integer> found = untaken(matcher, 1);
          if (found.isEmpty()) {
            return null;
          }
          List<T> out = new ArrayList<>();
          for (int i = taken.nextClearBit(0); i <= found.get(0); i = taken.nextClearBit(i + 1)) {
            taken.set(i);
            out.add(entries.get(i));
          }
          return out;
        },
        timeout,
        () -> "no " + what);
  }

  /**
   * Waits up to {@code timeout} for an entry that {@code matcher} accepts, taken or not, and
   * returns the first one without taking it.
   *
   * @throws AssertionError if there is none within {@code timeout}
   */
  public T awaitSeen(Predicate<? super T> matcher, Duration timeout, String what) {
    Objects.requireNonNull(matcher, "matcher");
    return waitUntil(
        () -> {
          for (T e : entries) {
            if (matcher.test(e)) {
              return e;
            }
          }
          return null;
        },
        timeout,
        () -> "no " + what);
  }

  /** Takes the first matching entry not taken yet, if there is one now; never waits. */
  public Optional<T> poll(Predicate<? super T> matcher) {
    Objects.requireNonNull(matcher, "matcher");
    synchronized (lock) {
      List<Integer> found = untaken(matcher, 1);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      taken.set(found.get(0));
      return Optional.of(entries.get(found.get(0)));
    }
  }

  /**
   * Asserts that no matching entry that was not taken yet is recorded now or within {@code quiet}.
   * Fails as soon as one is; takes nothing.
   *
   * @throws AssertionError if a matching entry is (or gets) recorded, or the log overflowed
   */
  public void assertNone(Predicate<? super T> matcher, Duration quiet, String what) {
    Objects.requireNonNull(matcher, "matcher");
    long deadline = deadline(quiet);
    synchronized (lock) {
      while (true) {
        List<Integer> found = untaken(matcher, 1);
        if (!found.isEmpty()) {
          throw new AssertionError(
              "unexpected " + what + ": " + entries.get(found.get(0)) + "; recorded " + tail());
        }
        if (dropped > 0) {
          throw new AssertionError(
              "cannot tell whether there was no "
                  + what
                  + ": the log is full ("
                  + overflow()
                  + ")");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        waitFor(left);
      }
    }
  }

  /** Whether a matching entry was recorded, taken or not. */
  public boolean contains(Predicate<? super T> matcher) {
    Objects.requireNonNull(matcher, "matcher");
    synchronized (lock) {
      for (T e : entries) {
        if (matcher.test(e)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Every entry kept so far, taken or not, in the order they were added. */
  public List<T> entries() {
    synchronized (lock) {
      return List.copyOf(entries);
    }
  }

  /** Every matching entry kept so far, taken or not, in order. */
  public List<T> entries(Predicate<? super T> matcher) {
    Objects.requireNonNull(matcher, "matcher");
    synchronized (lock) {
      List<T> out = new ArrayList<>();
      for (T e : entries) {
        if (matcher.test(e)) {
          out.add(e);
        }
      }
      return List.copyOf(out);
    }
  }

  /** How many entries are kept. */
  public int size() {
    synchronized (lock) {
      return entries.size();
    }
  }

  /** How many entries were dropped because the log was full. */
  public long dropped() {
    synchronized (lock) {
      return dropped;
    }
  }

  /** The most entries this log keeps. */
  public int capacity() {
    return capacity;
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "AwaitingLog["
          + entries.size()
          + "/"
          + capacity
          + ", "
          + taken.cardinality()
          + " taken]";
    }
  }

  /**
   * Runs {@code attempt} under the lock until it returns something, waking on every add; fails with
   * {@code missing} and the recorded tail on timeout, and at once once entries were dropped.
   */
  private <R> R waitUntil(Supplier<R> attempt, Duration timeout, Supplier<String> missing) {
    long deadline = deadline(timeout);
    synchronized (lock) {
      while (true) {
        R result = attempt.get();
        if (result != null) {
          return result;
        }
        if (dropped > 0) {
          throw new AssertionError(
              missing.get()
                  + ": the log is full ("
                  + overflow()
                  + "), what was awaited may have been dropped; recorded "
                  + tail());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(missing.get() + " within " + timeout + "; recorded " + tail());
        }
        waitFor(left);
      }
    }
  }

  // Called with the lock held.
  private List<Integer> untaken(Predicate<? super T> matcher, int max) {
    List<Integer> found = new ArrayList<>();
    for (int i = taken.nextClearBit(0); i < entries.size() && found.size() < max; i++) {
      if (!taken.get(i) && matcher.test(entries.get(i))) {
        found.add(i);
      }
    }
    return found;
  }

  // Called with the lock held.
  private String overflow() {
    return "capacity " + capacity + ", " + dropped + " dropped";
  }

  // Called with the lock held.
  private String tail() {
    int from = Math.max(0, entries.size() - SHOWN);
    String shown = entries.subList(from, entries.size()).toString();
    return from == 0 ? shown : "(" + from + " earlier entries not shown) " + shown;
  }

  // Called with the lock held.
  private void waitFor(long nanos) {
    try {
      TimeUnit.NANOSECONDS.timedWait(lock, nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }

  private static long deadline(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout: " + timeout);
    }
    return System.nanoTime() + timeout.toNanos();
  }
}
