package dev.sio4j.server;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: keeps one socket's listeners
 * in order while they run off the event loop.
 *
 * <p>Thread-safety: thread-safe.
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor delegate;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  /** The thread draining the queue now, or null: lets a continuation run in place. */
  private volatile Thread runner;

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      delegate.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The user's executor is shut down: nothing queued here could ever run.
      int dropped;
      synchronized (tasks) {
        dropped = tasks.size();
        tasks.clear();
        running = false;
      }
      log.warn("handler executor refused a task: {} socket listener calls dropped", dropped, e);
    }
  }

  /** Whether the calling thread is running this queue's tasks (so is in order with them). */
  boolean inQueue() {
    return runner == Thread.currentThread();
  }

  private void drain() {
    runner = Thread.currentThread();
    while (true) {
      Runnable next;
      synchronized (tasks) {
        next = tasks.poll();
        if (next == null) {
          // Cleared before another drain can start, so it never erases that drain's thread.
          runner = null;
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        // Keeps the queue going: one failing task must not stall the socket's later events.
        log.warn("socket listener task failed", e);
      }
    }
  }
}
