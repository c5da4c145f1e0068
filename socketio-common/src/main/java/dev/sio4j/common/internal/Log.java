package dev.sio4j.common.internal;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * WARN and ERROR lines that cannot vanish: through SLF4J when a provider is bound, on {@code
 * System.err} when SLF4J fell back to its no-operation logger (no provider on the class path). An
 * application that forgot its logging backend would otherwise lose the one line saying that its
 * handler threw, and see only a client's timeout.
 *
 * <p>Only for lines that report a failure: everything else stays plain SLF4J (an application
 * without a provider asked for silence).
 *
 * <p>Not part of the public API. Thread-safety: stateless; {@code System.err} is looked up at each
 * line, so a stream replaced later (tests capturing it) is honoured.
 */
public final class Log {
  private Log() {}

  /** Whether SLF4J has no provider: decided once, at the first failure reported. */
  private static final class Nop {
    static final boolean ACTIVE = LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;
  }

  /** Logs at WARN, or writes the line to {@code System.err} when SLF4J has no provider. */
  public static void warn(Logger log, String format, Object... args) {
    if (Nop.ACTIVE) {
      toStderr("WARN", log.getName(), format, args);
    } else {
      log.warn(format, args);
    }
  }

  /** Logs at ERROR, or writes the line to {@code System.err} when SLF4J has no provider. */
  public static void error(Logger log, String format, Object... args) {
    if (Nop.ACTIVE) {
      toStderr("ERROR", log.getName(), format, args);
    } else {
      log.error(format, args);
    }
  }

  /** The fallback: one line as SLF4J's simple binding writes it, then the stack trace if any. */
  static void toStderr(String level, String logger, String format, Object[] args) {
    FormattingTuple line = MessageFormatter.arrayFormat(format, args);
    PrintStream err = System.err;
    synchronized (err) {
      err.println(
          "["
              + Thread.currentThread().getName()
              + "] "
              + level
              + " "
              + logger
              + " - "
              + line.getMessage());
      if (line.getThrowable() != null) {
        line.getThrowable().printStackTrace(err);
      }
    }
  }
}
