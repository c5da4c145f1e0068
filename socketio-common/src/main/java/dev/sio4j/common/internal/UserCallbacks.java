package dev.sio4j.common.internal;

import dev.sio4j.common.ArgumentTypeException;
import org.slf4j.Logger;

/**
 * Reports user code that threw: one WARN line naming the callback, the event, the socket id and the
 * namespace, with the stack trace; a payload that did not fit a typed listener ({@link
 * ArgumentTypeException}) is the peer's doing, not a bug here, so it gets the line with the cause's
 * message and no stack trace. Through {@link Log}, so the line survives a missing SLF4J provider.
 *
 * <p>Not part of the public API. Thread-safety: stateless.
 */
public final class UserCallbacks {
  private UserCallbacks() {}

  /**
   * Reports that user callback {@code kind} (e.g. {@code "listener"}, {@code "connection
   * listener"}) threw {@code error} while handling {@code event} (a lifecycle callback names its
   * reserved event: {@code "connection"}, {@code "disconnect"}...).
   */
  public static void failed(
      Logger log, String kind, String event, String namespace, String socketId, Throwable error) {
    if (error instanceof ArgumentTypeException) {
      Log.warn(
          log,
          "{} not called for event '{}' of socket {} in namespace {}: {}",
          kind,
          event,
          socketId,
          namespace,
          error.getMessage());
    } else {
      Log.warn(
          log,
          "{} threw on event '{}' of socket {} in namespace {}: {}",
          kind,
          event,
          socketId,
          namespace,
          String.valueOf(error),
          error);
    }
  }

  /** {@link #failed(Logger, String, String, String, String, Throwable)} for a context. */
  public static void failed(CallbackContext ctx, String kind, String event, Throwable error) {
    failed(ctx.logger(), kind, event, ctx.namespace(), ctx.socketId(), error);
  }
}
