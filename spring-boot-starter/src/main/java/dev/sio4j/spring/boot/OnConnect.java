package dev.sio4j.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called when a socket joined the controller's namespace (after its middlewares let it in). The
 * method takes no parameter or one {@code dev.sio4j.server.Socket}; its return value is ignored.
 * Register the socket's own listeners here, if any.
 *
 * <p>Thread-safety: see {@link SocketIoController}; runs on the socket's event loop and must not
 * block.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnConnect {}
