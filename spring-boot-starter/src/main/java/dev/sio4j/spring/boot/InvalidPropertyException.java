package dev.sio4j.spring.boot;

import dev.sio4j.common.SocketIoException;

/**
 * A {@code sio4j.*} property has a value the server cannot use; the message names the property, the
 * rule and the value, and is what a failed startup reports.
 *
 * <p>Thread-safety: immutable.
 */
public final class InvalidPropertyException extends SocketIoException {
  private static final long serialVersionUID = 1L;

  private final String property;

  InvalidPropertyException(String property, String rule, Object value) {
    super(property + " " + rule + " (was " + value + ")");
    this.property = property;
  }

  /** The property's name, e.g. {@code sio4j.ping-timeout}. */
  public String property() {
    return property;
  }
}
