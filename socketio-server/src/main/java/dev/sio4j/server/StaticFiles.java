package dev.sio4j.server;

import java.util.Optional;

/**
 * The files under one path of {@link SocketIoServer#serveStatic}: finds a file by its path below
 * that prefix ({@code "index.html"}, {@code "js/app.js"}; never empty, never with a {@code ..}
 * segment or a query).
 *
 * <p>Thread-safety: called on the event loops of the requests, possibly concurrently; must be
 * thread-safe and should not block (keep the files in memory, or cache them once read).
 */
@FunctionalInterface
public interface StaticFiles {
  /** The file at this relative path, or empty for a 404. */
  Optional<StaticFile> find(String path);
}
