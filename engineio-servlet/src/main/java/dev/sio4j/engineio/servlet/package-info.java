/**
 * Engine.IO (and so Socket.IO) served by a Jakarta Servlet 6 / Jakarta WebSocket container on the
 * application's own port: see {@link dev.sio4j.engineio.servlet.EngineIoServlet}.
 */
package dev.sio4j.engineio.servlet;
