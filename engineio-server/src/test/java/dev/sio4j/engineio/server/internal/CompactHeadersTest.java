package dev.sio4j.engineio.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CompactHeadersTest {
  @Test
  void lookupsIgnoreCaseAndNamesAreLowerCaseInOrder() {
    Map<String, List<String>> in = new LinkedHashMap<>();
    in.put("Host", List.of("example.org"));
    in.put("accept", List.of("a", "b"));
    in.put("X-Custom", new ArrayList<>(List.of("1")));
    CompactHeaders h = CompactHeaders.copyOf(in);
    assertEquals(List.of("example.org"), h.get("host"));
    assertEquals(List.of("example.org"), h.get("HOST"));
    assertEquals(List.of("a", "b"), h.get("Accept"));
    assertTrue(h.containsKey("x-custom"));
    assertFalse(h.containsKey("x-other"));
    assertNull(h.get("x-other"));
    assertNull(h.get(42));
    assertEquals(List.of("accept", "host", "x-custom"), new ArrayList<>(h.keySet()));
    assertEquals(3, h.size());
  }

  @Test
  void namesDifferingInCaseAreMergedAndTheMapIsImmutable() {
    Map<String, List<String>> in = new TreeMap<>();
    in.put("Cookie", List.of("a=1"));
    in.put("cookie", List.of("b=2"));
    CompactHeaders h = CompactHeaders.copyOf(in);
    assertEquals(List.of("a=1", "b=2"), h.get("COOKIE"));
    assertThrows(UnsupportedOperationException.class, () -> h.put("x", List.of("y")));
    assertThrows(UnsupportedOperationException.class, () -> h.get("cookie").add("c"));
    // Equal to any map with the same entries, as maps must be.
    assertEquals(Map.of("cookie", List.of("a=1", "b=2")), h);
    assertEquals(Map.of("cookie", List.of("a=1", "b=2")).hashCode(), h.hashCode());
  }

  @Test
  void emptyHeaders() {
    CompactHeaders h = CompactHeaders.copyOf(Map.of());
    assertTrue(h.isEmpty());
    assertNull(h.get("host"));
  }
}
