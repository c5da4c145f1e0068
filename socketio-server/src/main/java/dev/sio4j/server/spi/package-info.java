/**
 * The server's service-provider interface: {@link dev.sio4j.server.spi.SocketIoObserver}, the hooks
 * a metrics or monitoring module implements.
 *
 * <p>Thread-safety: see each type.
 */
package dev.sio4j.server.spi;
