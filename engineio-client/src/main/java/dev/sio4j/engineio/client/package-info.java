/**
 * Engine.IO v4 client on Netty: {@link dev.sio4j.engineio.client.EngineIoClient} with HTTP
 * long-polling and WebSocket transports, the polling to WebSocket upgrade, the client side of the
 * heartbeat, and TLS.
 *
 * <p>Thread-safety: each client lives on one Netty event loop; its listener is called there, in
 * order. Public methods may be called from any thread.
 */
package dev.sio4j.engineio.client;
