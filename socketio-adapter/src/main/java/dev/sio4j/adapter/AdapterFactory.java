package dev.sio4j.adapter;

/**
 * Creates the adapter of each namespace (one adapter per namespace, as the reference).
 *
 * <p>Thread-safety: may be called from any thread; must be thread-safe.
 */
@FunctionalInterface
public interface AdapterFactory {
  Adapter create(AdapterHost namespace);
}
