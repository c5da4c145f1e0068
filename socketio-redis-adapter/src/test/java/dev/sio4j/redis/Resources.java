package dev.sio4j.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test opened (Redis, nodes, clients), closed together in reverse order; the first failure
 * is thrown once everything was closed.
 *
 * <p>Thread-safety: for one test thread.
 */
final class Resources implements AutoCloseable {
  private final List<AutoCloseable> opened = new ArrayList<>();

  <T extends AutoCloseable> T track(T resource) {
    opened.add(resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    opened.clear();
    if (first != null) {
      throw first;
    }
  }
}
