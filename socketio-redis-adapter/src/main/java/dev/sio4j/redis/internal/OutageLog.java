package dev.sio4j.redis.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * One log line when Redis becomes unreachable and one when it is back, instead of one per dropped
 * message (those are DEBUG): an outage is worth a WARN, a thousand of them are noise.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class OutageLog {
  private final Logger log;
  private final String what;
  private final AtomicBoolean down = new AtomicBoolean();

  /**
   * @param log where to log
   * @param what who is affected, e.g. "the Redis adapter"
   */
  public OutageLog(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  /** A command failed: the first failure after a success is logged at WARN. */
  public void failed(Throwable error) {
    if (error instanceof CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    if (down.compareAndSet(false, true)) {
      log.warn(
          "{}: Redis is unreachable ({}); messages to other nodes are dropped until it is back",
          what,
          error.toString());
    } else {
      log.debug("{}: Redis still unreachable: {}", what, error.toString());
    }
  }

  /** A command succeeded: logged at INFO when it ends an outage. */
  public void succeeded() {
    if (down.get() && down.compareAndSet(true, false)) {
      log.info("{}: Redis is reachable again", what);
    }
  }

  /** Whether the last command failed. */
  public boolean isDown() {
    return down.get();
  }
}
