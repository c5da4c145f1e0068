package dev.sio4j.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles one event of the sockets of the controller's namespace. Parameters are bound by type:
 *
 * <ul>
 *   <li>{@code dev.sio4j.server.Socket}: the socket that sent the event;
 *   <li>{@code dev.sio4j.common.Ack}: the acknowledgement the client asked for ({@code Ack.NONE}
 *       when it asked for none), to answer later or from another thread;
 *   <li>{@code dev.sio4j.common.Arguments}: every argument, unconverted;
 *   <li>any other type: the event's arguments by position (the first such parameter is argument 0,
 *       the next argument 1, ...), converted with the server's JSON mapper ({@code byte[]} takes a
 *       binary argument; generic types such as {@code List<ChatMessage>} are honoured). A missing
 *       argument is {@code null} (or zero/false for a primitive).
 * </ul>
 *
 * <p>A method that returns a value answers the ack with it (a {@code CompletionStage} answers once
 * it completes); such a method takes no {@code Ack} parameter. An argument that cannot be converted
 * is logged at WARN with the namespace, event and socket id, and the method is not called; an
 * exception the method throws is logged the same way. In both cases the ack is not answered, as
 * with a reference handler that throws.
 *
 * <p>Thread-safety: see {@link SocketIoController}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnEvent {
  /** The event name. */
  String value();
}
