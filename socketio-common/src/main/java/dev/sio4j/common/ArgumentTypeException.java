package dev.sio4j.common;

/**
 * The arguments of an event (or of an acknowledgement) do not fit the types a typed listener or a
 * typed {@code emitWithAck} asked for: an argument is missing, or the JSON mapper cannot convert
 * it.
 *
 * <p>For a typed listener the peer sent something else than agreed, so the listener is not called:
 * the failure is logged at WARN in one line (namespace, event, socket id, this message), and on the
 * server it goes where the reference reports a refused event (a {@code socket.use()} middleware's
 * error): to the socket's {@code onError} listeners, while the client is told nothing (its ack, if
 * it asked for one, never comes, so its own timeout fires). For a typed {@code emitWithAck} the
 * returned future fails with it.
 *
 * <p>Thread-safety: immutable.
 */
public final class ArgumentTypeException extends SocketIoException {
  private static final long serialVersionUID = 1L;

  private final String event;

  /**
   * @param event the event whose arguments did not fit
   * @param message what did not fit, e.g. {@code "argument 0 is not a ChatMessage: ..."}
   * @param cause the mapper's exception, or {@code null}
   */
  public ArgumentTypeException(String event, String message, Throwable cause) {
    super("event '" + event + "': " + message, cause);
    this.event = event;
  }

  /** The event whose arguments did not fit. */
  public String event() {
    return event;
  }
}
