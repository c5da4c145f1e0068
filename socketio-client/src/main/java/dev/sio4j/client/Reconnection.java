package dev.sio4j.client;

import dev.sio4j.common.SocketIoException;
import dev.sio4j.common.Subscription;
import dev.sio4j.common.internal.Listeners;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Reconnecting with exponential backoff, as the reference's manager: whether and when to try again
 * after the connection closed or failed to open, how many times, and the reconnect events.
 *
 * <p>Why a class of its own: it is a state machine (idle, waiting for a try, stopped) that the
 * connection code of {@link SocketIoClient} only tells about opens, closes and failed opens.
 *
 * <p>Thread-safety: confined to the client's event loop; the listener registrations are
 * thread-safe.
 */
final class Reconnection {
  private final SocketIoClient client;
  private final ClientOptions options;
  private final Backoff backoff;

  /** A try is scheduled or running. */
  private boolean reconnecting;

  /** The user closed the connection: no try until the next {@code open}. */
  private boolean stopped;

  private final Listeners<IntConsumer> reconnectListeners = new Listeners<>();
  private final Listeners<IntConsumer> attemptListeners = new Listeners<>();
  private final Listeners<Consumer<SocketIoException>> errorListeners = new Listeners<>();
  private final Listeners<Runnable> failedListeners = new Listeners<>();

  Reconnection(SocketIoClient client, ClientOptions options) {
    this.client = client;
    this.options = options;
    this.backoff =
        new Backoff(
            options.reconnectionDelay().toMillis(),
            options.reconnectionDelayMax().toMillis(),
            options.randomizationFactor());
  }

  Subscription onReconnect(IntConsumer listener) {
    return reconnectListeners.add(listener);
  }

  Subscription onAttempt(IntConsumer listener) {
    return attemptListeners.add(listener);
  }

  Subscription onError(Consumer<SocketIoException> listener) {
    return errorListeners.add(listener);
  }

  Subscription onFailed(Runnable listener) {
    return failedListeners.add(listener);
  }

  boolean reconnecting() {
    return reconnecting;
  }

  /** An open starts: tries are allowed again. */
  void opening() {
    stopped = false;
  }

  /** The user closed the connection: no more tries. */
  void stop() {
    stopped = true;
    reconnecting = false;
  }

  /** The connection closed: the next try starts from the first delay. */
  void resetBackoff() {
    backoff.reset();
  }

  /** After a close was announced: try again if reconnection is on and not stopped. */
  void afterClose() {
    if (options.reconnection() && !stopped) {
      reconnect();
    }
  }

  /** An open the user asked for (not a try) failed: start trying, unless already. */
  void afterFailedOpen() {
    if (!reconnecting && options.reconnection() && backoff.attempts() == 0) {
      reconnect();
    }
  }

  private void reconnect() {
    if (reconnecting || stopped || client.shutDown()) {
      return;
    }
    if (backoff.attempts() >= options.reconnectionAttempts()) {
      backoff.reset();
      reconnecting = false;
      failedListeners.fire(
          Runnable::run, client.context(), "reconnect_failed listener", "reconnect_failed");
      return;
    }
    long delay = Math.max(0, backoff.duration());
    reconnecting = true;
    client.schedule(this::attempt, delay);
  }

  private void attempt() {
    if (stopped) {
      return;
    }
    int attempt = backoff.attempts();
    attemptListeners.fire(
        l -> l.accept(attempt),
        client.context(),
        "reconnect_attempt listener",
        "reconnect_attempt");
    if (stopped) {
      return;
    }
    client.open(
        err -> {
          if (err != null) {
            reconnecting = false;
            reconnect();
            errorListeners.fire(
                l -> l.accept(err),
                client.context(),
                "reconnect_error listener",
                "reconnect_error");
          } else {
            int attempts = backoff.attempts();
            reconnecting = false;
            backoff.reset();
            reconnectListeners.fire(
                l -> l.accept(attempts), client.context(), "reconnect listener", "reconnect");
          }
        });
  }
}
