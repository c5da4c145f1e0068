package dev.sio4j.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the namespaces a {@code dev.sio4j.server.Middleware} bean guards (its connection
 * middleware, {@code namespace.use(...)}). A middleware bean without it guards the main namespace
 * {@code /}. Several middlewares of one namespace run in the beans' order ({@code @Order} or {@code
 * Ordered}).
 *
 * <p>Thread-safety: see {@code Middleware}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SocketIoMiddleware {
  /** The namespaces, {@code /} by default. */
  String[] value() default {"/"};
}
