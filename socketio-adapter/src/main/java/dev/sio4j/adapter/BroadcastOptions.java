package dev.sio4j.adapter;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who a broadcast reaches: the union of {@code rooms} (every socket when empty), minus the members
 * of any {@code except} room, with its {@link BroadcastFlags}. The value a cluster adapter sends
 * over the wire as {@code {rooms, except, flags}}.
 *
 * <p>Thread-safety: immutable.
 */
public final class BroadcastOptions {
  public static final BroadcastOptions ALL =
      new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.DEFAULT);

  private final Set<String> rooms;
  private final Set<String> except;
  private final BroadcastFlags flags;

  public BroadcastOptions(Set<String> rooms, Set<String> except, BroadcastFlags flags) {
    this.rooms = Collections.unmodifiableSet(new LinkedHashSet<>(rooms));
    this.except = Collections.unmodifiableSet(new LinkedHashSet<>(except));
    this.flags = Objects.requireNonNull(flags);
  }

  public Set<String> rooms() {
    return rooms;
  }

  public Set<String> except() {
    return except;
  }

  public BroadcastFlags flags() {
    return flags;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof BroadcastOptions)) {
      return false;
    }
    BroadcastOptions b = (BroadcastOptions) o;
    return rooms.equals(b.rooms) && except.equals(b.except) && flags.equals(b.flags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rooms, except, flags);
  }

  @Override
  public String toString() {
    return "{rooms=" + rooms + ", except=" + except + ", flags=" + flags + "}";
  }
}
