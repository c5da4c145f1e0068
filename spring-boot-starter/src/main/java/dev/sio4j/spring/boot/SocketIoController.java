package dev.sio4j.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * A bean whose {@link OnConnect}, {@link OnEvent} and {@link OnDisconnect} methods handle the
 * sockets of one namespace. It is a {@link Component}, so component scanning finds it.
 *
 * <pre>{@code
 * @SocketIoController("/chat")
 * class ChatController {
 *   @OnEvent("message")
 *   Receipt message(Socket socket, ChatMessage message) {  // the return value answers the ack
 *     socket.to("lobby").emit("message", message);
 *     return new Receipt(message.id());
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safety: the annotated methods are called like the socket listeners they stand for (see
 * {@code docs/CONCURRENCY.md}): on the socket's event loop unless the server has a handler
 * executor, one at a time per socket, concurrently for different sockets. A controller with mutable
 * fields must guard them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface SocketIoController {
  /** The namespace, {@code /} by default; alias of {@link #namespace()}. */
  @AliasFor("namespace")
  String value() default "/";

  /** The namespace, {@code /} by default. */
  @AliasFor("value")
  String namespace() default "/";
}
