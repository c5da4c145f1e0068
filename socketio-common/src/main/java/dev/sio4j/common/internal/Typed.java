package dev.sio4j.common.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sio4j.common.ArgumentTypeException;
import dev.sio4j.common.Arguments;

/**
 * The conversions of typed listeners and typed acks: one argument to the type asked for, any
 * failure (missing argument, a value the mapper refuses) as an {@link ArgumentTypeException} naming
 * the event.
 *
 * <p>Not part of the public API. Thread-safety: stateless.
 */
public final class Typed {
  private Typed() {}

  /** Argument {@code index} of {@code event} as a {@code type}. */
  public static <T> T argument(String event, Arguments args, int index, Class<T> type) {
    if (index >= args.size()) {
      throw missing(event, args, index, type.getName());
    }
    try {
      return args.get(index, type);
    } catch (IllegalArgumentException e) {
      throw new ArgumentTypeException(event, e.getMessage(), e);
    }
  }

  /** Argument {@code index} of {@code event} as a generic {@code type}. */
  public static <T> T argument(String event, Arguments args, int index, TypeReference<T> type) {
    if (index >= args.size()) {
      throw missing(event, args, index, type.getType().getTypeName());
    }
    try {
      return args.get(index, type);
    } catch (IllegalArgumentException e) {
      throw new ArgumentTypeException(event, e.getMessage(), e);
    }
  }

  /** The first argument of the ack of {@code event} as a {@code type}. */
  public static <R> R reply(String event, Arguments ack, Class<R> type) {
    try {
      return argument(event, ack, 0, type);
    } catch (ArgumentTypeException e) {
      throw new ArgumentTypeException(event, "ack " + afterEvent(e), e.getCause());
    }
  }

  /** The first argument of the ack of {@code event} as a generic {@code type}. */
  public static <R> R reply(String event, Arguments ack, TypeReference<R> type) {
    try {
      return argument(event, ack, 0, type);
    } catch (ArgumentTypeException e) {
      throw new ArgumentTypeException(event, "ack " + afterEvent(e), e.getCause());
    }
  }

  private static String afterEvent(ArgumentTypeException e) {
    String prefix = "event '" + e.event() + "': ";
    String m = e.getMessage();
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  private static ArgumentTypeException missing(
      String event, Arguments args, int index, String type) {
    return new ArgumentTypeException(
        event,
        "argument " + index + " (a " + type + ") is missing: " + args.size() + " received",
        null);
  }
}
