package dev.sio4j.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.engineio.testing.Concurrently;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class ListenersTest {
  private static List<String> items(Listeners<String> l) {
    List<String> out = new ArrayList<>();
    l.forEach(out::add);
    return out;
  }

  @Test
  void addsAppendAndAddFirstPrepends() {
    Listeners<String> l = new Listeners<>();
    assertTrue(l.isEmpty());
    l.add("b");
    l.add("c");
    l.addFirst("a");
    assertEquals(List.of("a", "b", "c"), items(l));
    assertEquals(3, l.size());
    assertEquals("b", l.get(1));
    assertEquals(List.of("a", "b", "c"), l.snapshot());
  }

  @Test
  void removeTakesTheFirstOccurrenceOnly() {
    Listeners<String> l = new Listeners<>();
    l.add("a");
    l.add("b");
    l.add("a");
    assertTrue(l.remove("a"));
    assertEquals(List.of("b", "a"), items(l));
    assertFalse(l.remove("x"));
    assertTrue(l.remove("b"));
    assertTrue(l.remove("a"));
    assertTrue(l.isEmpty());
    l.add("z");
    l.clear();
    assertTrue(l.isEmpty());
  }

  @Test
  void iteratorsKeepTheirSnapshot() {
    Listeners<String> l = new Listeners<>();
    l.add("a");
    l.add("b");
    Iterator<String> it = l.iterator();
    l.add("c");
    l.remove("a");
    List<String> seen = new ArrayList<>();
    it.forEachRemaining(seen::add);
    assertEquals(List.of("a", "b"), seen);
    assertThrows(NoSuchElementException.class, it::next);
    assertEquals(List.of("b", "c"), items(l));
    List<String> snapshot = l.snapshot();
    assertThrows(UnsupportedOperationException.class, () -> snapshot.add("x"));
  }

  @Test
  void concurrentAddsAreNotLost() throws Exception {
    Listeners<Integer> l = new Listeners<>();
    int threads = 4;
    int each = 500;
    Concurrently.run(
        threads,
        t -> {
          for (int i = 0; i < each; i++) {
            l.add(t * each + i);
          }
        });
    assertEquals(threads * each, l.size());
  }
}
