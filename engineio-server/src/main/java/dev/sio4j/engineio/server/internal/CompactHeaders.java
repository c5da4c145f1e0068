package dev.sio4j.engineio.server.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable header map in two arrays: names (lower-case, sorted) and values (a {@code String}
 * for a header sent once, else a {@code List<String>}). Lookups ignore case. A session keeps its
 * handshake request's headers for its whole life; a {@code TreeMap} of lists cost about three times
 * as much per idle connection.
 *
 * <p>Not API: public for {@code EngineIoRequest}; it may change in any release.
 *
 * <p>Thread-safety: immutable.
 */
public final class CompactHeaders extends AbstractMap<String, List<String>> {
  private final String[] names;
  private final Object[] values;

  private CompactHeaders(String[] names, Object[] values) {
    this.names = names;
    this.values = values;
  }

  /** A copy of {@code headers}; names that differ only in case are merged, in order. */
  public static CompactHeaders copyOf(Map<String, List<String>> headers) {
    String[] sorted =
        headers.keySet().stream()
            .map(n -> n.toLowerCase(Locale.ROOT))
            .distinct()
            .sorted()
            .toArray(String[]::new);
    Object[] values = new Object[sorted.length];
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      int i = Arrays.binarySearch(sorted, e.getKey().toLowerCase(Locale.ROOT));
      List<String> add = e.getValue();
      if (values[i] == null) {
        values[i] = add;
      } else {
        List<String> merged = new java.util.ArrayList<>(list(values[i]));
        merged.addAll(add);
        values[i] = merged;
      }
    }
    for (int i = 0; i < values.length; i++) {
      List<String> v = list(values[i]);
      values[i] = v.size() == 1 ? v.get(0) : List.copyOf(v);
      sorted[i] = CommonStrings.canonical(sorted[i]);
    }
    return new CompactHeaders(sorted, values);
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(Object value) {
    return value instanceof String ? List.of((String) value) : (List<String>) value;
  }

  private int indexOf(Object key) {
    if (!(key instanceof String)) {
      return -1;
    }
    String name = (String) key;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public List<String> get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : list(values[i]);
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public Set<Entry<String, List<String>>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return names.length;
      }

      @Override
      public Iterator<Entry<String, List<String>>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < names.length;
          }

          @Override
          public Entry<String, List<String>> next() {
            if (next >= names.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(names[i], list(values[i]));
          }
        };
      }
    };
  }
}
