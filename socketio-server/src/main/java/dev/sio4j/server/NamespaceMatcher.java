package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides whether an unknown namespace a client asks for may be created (a dynamic namespace).
 *
 * <p>Thread-safety: called on event loops, possibly concurrently; must be thread-safe and not
 * block.
 */
@FunctionalInterface
public interface NamespaceMatcher {
  boolean matches(String name, JsonNode auth);
}
