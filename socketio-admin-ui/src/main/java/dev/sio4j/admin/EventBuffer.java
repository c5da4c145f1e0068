package dev.sio4j.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the engine's events per second and type ({@code rawConnection}, {@code rawDisconnection}
 * with its reason, {@code packetsIn}, {@code bytesIn}, ...) until the next {@code server_stats}
 * takes them: the {@code aggregatedEvents} of the stats. Bounded by what one stats interval holds
 * (a few types times its seconds; disconnection reasons are a small fixed set).
 *
 * <p>Thread-safety: thread-safe; each key is counted and taken atomically, so nothing is counted
 * twice or lost between two drains.
 */
final class EventBuffer {
  private record Key(long second, String type, String subType) {}

  private final Map<Key, Long> counts = new ConcurrentHashMap<>();

  void push(String type, long count) {
    push(type, null, count);
  }

  void push(String type, String subType, long count) {
    long second = System.currentTimeMillis() / 1000 * 1000;
    counts.merge(new Key(second, type, subType), count, Long::sum);
  }

  /** The counts so far as the UI reads them, and a fresh start. */
  ArrayNode drain() {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Key key : counts.keySet()) {
      Long count = counts.remove(key);
      if (count == null) {
        continue;
      }
      ObjectNode e = out.addObject();
      e.put("timestamp", key.second());
      e.put("type", key.type());
      if (key.subType() != null) {
        e.put("subType", key.subType());
      }
      e.put("count", count);
    }
    return out;
  }
}
