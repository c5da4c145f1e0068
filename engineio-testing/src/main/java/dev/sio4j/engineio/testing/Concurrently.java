package dev.sio4j.engineio.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs a task on several threads released at the same moment, for tests of thread-safety: {@code
 * Concurrently.run(4, t -> socket.send("from " + t))}.
 *
 * <p>The threads are started, then released together so that their work overlaps as much as
 * possible, and joined within a timeout ({@link Await#WAIT} unless told). The first failure of any
 * of them is rethrown on the caller's thread, with the others suppressed.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class Concurrently {
  private Concurrently() {}

  /**
   * Runs {@code task} with indexes {@code 0 .. threads-1} on as many threads, up to {@link
   * Await#WAIT}.
   */
  public static void run(int threads, IntConsumer task) {
    run(threads, Await.WAIT, task);
  }

  /**
   * Runs {@code task} with indexes {@code 0 .. threads-1} on as many threads released together, and
   * waits for all of them up to {@code timeout}.
   *
   * @throws AssertionError if a thread is still running after {@code timeout} (it is interrupted),
   *     or wrapping the first failure of a task
   */
  public static void run(int threads, Duration timeout, IntConsumer task) {
    Objects.requireNonNull(task, "task");
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive: " + threads);
    }
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                  task.accept(index);
                } catch (Throwable e) {
                  if (!failure.compareAndSet(null, e)) {
                    failure.get().addSuppressed(e);
                  }
                }
              },
              "concurrently-" + t);
      thread.setDaemon(true);
      thread.start();
      all.add(thread);
    }
    go.countDown();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : all) {
      try {
        thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the threads", e);
      }
      if (thread.isAlive()) {
        all.forEach(Thread::interrupt);
        throw new AssertionError(thread.getName() + " still running after " + timeout);
      }
    }
    Throwable e = failure.get();
    if (e != null) {
      throw new AssertionError("a concurrent task failed: " + e, e);
    }
  }
}
