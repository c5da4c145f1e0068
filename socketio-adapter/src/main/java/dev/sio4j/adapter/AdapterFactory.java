package dev.sio4j.adapter;

/**
 * Creates the adapter of each namespace (one adapter per namespace, as the reference), for instance
 * {@code InMemoryAdapter::new} or {@code host -> new MyBusAdapter(host, bus)}.
 *
 * <p>Thread-safety: may be called from any thread; must be thread-safe.
 */
@FunctionalInterface
public interface AdapterFactory {
  Adapter create(AdapterHost host);
}
