package dev.sio4j.redis;

import dev.sio4j.adapter.AdapterFactory;

/**
 * An {@link AdapterFactory} holding Redis connections shared by the adapters of every namespace of
 * a server (as the Node adapters share their {@code pubClient} and {@code subClient}). Pass it to
 * {@code SocketIoOptions.Builder.adapter(...)}; close it after the server stopped, which closes the
 * connections it opened (never a Redis client the caller passed in).
 *
 * <p>Thread-safety: thread-safe; {@link #create} may be called from any thread.
 */
public interface RedisAdapterFactory extends AdapterFactory, AutoCloseable {
  /** Closes the connections this factory opened. Idempotent; does not throw. */
  @Override
  void close();
}
