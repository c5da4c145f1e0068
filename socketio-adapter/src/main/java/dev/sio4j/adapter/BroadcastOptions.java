package dev.sio4j.adapter;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who a broadcast reaches: the union of {@code rooms} (every socket when empty), minus the members
 * of any {@code except} room, with its {@link BroadcastFlags}. The {@code opts} object of the
 * cluster messages ({@code {rooms: [...], except: [...], flags: {...}}}); the component names are
 * the wire names.
 *
 * <p>Thread-safety: immutable.
 *
 * @param rooms the targeted rooms; empty for every socket of the namespace
 * @param except the rooms whose members are left out
 * @param flags the flags of the operation
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, BroadcastFlags flags) {
  /** Every socket, default flags. */
  public static final BroadcastOptions ALL =
      new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.DEFAULT);

  /** Copies the sets (keeping their order, as a serialiser writes them). */
  public BroadcastOptions {
    rooms = copy(rooms);
    except = copy(except);
    Objects.requireNonNull(flags, "flags");
  }

  private static Set<String> copy(Set<String> set) {
    // Empty and single-element sets are the common case (io.emit, io.to(room), socket.broadcast).
    if (set.isEmpty()) {
      return Set.of();
    }
    if (set.size() == 1) {
      return Set.of(set.iterator().next());
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(set));
  }

  /** The same targets with other flags. */
  public BroadcastOptions withFlags(BroadcastFlags newFlags) {
    return new BroadcastOptions(rooms, except, newFlags);
  }

  @Override
  public String toString() {
    return "{rooms=" + rooms + ", except=" + except + ", flags=" + flags + "}";
  }
}
