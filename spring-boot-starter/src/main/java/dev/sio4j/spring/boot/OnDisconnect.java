package dev.sio4j.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called when a socket of the controller's namespace disconnected. The method's parameters, in any
 * order, are among {@code dev.sio4j.server.Socket} and {@code dev.sio4j.server.DisconnectReason}
 * (the reason, e.g. {@code SERVER_SHUTTING_DOWN} when the application stops); its return value is
 * ignored.
 *
 * <p>Thread-safety: see {@link SocketIoController}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnDisconnect {}
