package dev.sio4j.redis.emitter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.common.internal.Json;
import dev.sio4j.redis.internal.ClassicCodec.Outgoing;
import dev.sio4j.redis.internal.ClassicWire;
import dev.sio4j.redis.internal.ClassicWire.Channels;
import dev.sio4j.redis.internal.WireTrees;
import dev.sio4j.socketio.parser.SioPacket;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Targets an emitter's operation: {@code emitter.to("a").except("b").volatile_().emit("ev", x)}.
 * Every method returns a new operator; the flags keep the order they were set in, as the reference
 * writes them.
 *
 * <p>Thread-safety: immutable and thread-safe.
 */
public final class EmitterOperator {
  static final ObjectNode NO_FLAGS = JsonNodeFactory.instance.objectNode();

  private final EmitterLink link;
  private final String nsp;
  private final Set<String> rooms;
  private final Set<String> except;
  // Never modified once an operator holds it: each change makes a copy.
  private final ObjectNode flags;

  EmitterOperator(
      EmitterLink link, String nsp, Set<String> rooms, Set<String> except, ObjectNode flags) {
    this.link = link;
    this.nsp = nsp;
    this.rooms = rooms;
    this.except = except;
    this.flags = flags;
  }

  /** Adds rooms to target (union). */
  public EmitterOperator to(String... rooms) {
    return new EmitterOperator(link, nsp, union(this.rooms, rooms), except, flags);
  }

  /** Same as {@link #to}. */
  public EmitterOperator in(String... rooms) {
    return to(rooms);
  }

  /** Leaves out the sockets in any of these rooms. */
  public EmitterOperator except(String... rooms) {
    return new EmitterOperator(link, nsp, this.rooms, union(except, rooms), flags);
  }

  /** The event may be dropped for clients that are not ready to receive it. */
  public EmitterOperator volatile_() {
    ObjectNode copy = flags.deepCopy();
    copy.put("volatile", true);
    return new EmitterOperator(link, nsp, rooms, except, copy);
  }

  /** Sets the {@code compress} flag. */
  public EmitterOperator compress(boolean compress) {
    ObjectNode copy = flags.deepCopy();
    copy.put("compress", compress);
    return new EmitterOperator(link, nsp, rooms, except, copy);
  }

  /**
   * Emits to the targeted sockets of every node.
   *
   * @throws IllegalArgumentException for a reserved event name
   * @throws UnsupportedOperationException when the last argument is a callback
   */
  public CompletableFuture<Void> emit(String event, Object... args) {
    return link.publish(emitMessage(event, args));
  }

  /** Makes the targeted sockets join these rooms. */
  public CompletableFuture<Void> socketsJoin(String... rooms) {
    return link.publish(roomsMessage(ClassicWire.REMOTE_JOIN, rooms));
  }

  /** Makes the targeted sockets leave these rooms. */
  public CompletableFuture<Void> socketsLeave(String... rooms) {
    return link.publish(roomsMessage(ClassicWire.REMOTE_LEAVE, rooms));
  }

  /**
   * Disconnects the targeted sockets.
   *
   * @param close whether to close the underlying connections too
   */
  public CompletableFuture<Void> disconnectSockets(boolean close) {
    return link.publish(disconnectMessage(close));
  }

  // ---- the messages ------------------------------------------------------------------------

  Outgoing emitMessage(String event, Object... args) {
    refuseCallback(args);
    ArrayNode data = Json.eventArray(link.options.mapper(), event, args);
    JsonNode packet = WireTrees.packet(SioPacket.event(nsp, data));
    Channels channels = channels(link, nsp);
    return new Outgoing(
        channels.broadcastTo(rooms),
        ClassicWire.broadcastMessage(
            ClassicWire.EMITTER_UID, packet, ClassicWire.emitterOptions(rooms, flags, except)));
  }

  Outgoing roomsMessage(int type, String... roomsToChange) {
    return new Outgoing(
        channels(link, nsp).request(),
        ClassicWire.json(
            ClassicWire.roomsRequest(
                Optional.empty(), type, rooms, except, List.of(roomsToChange))));
  }

  Outgoing disconnectMessage(boolean close) {
    return new Outgoing(
        channels(link, nsp).request(),
        ClassicWire.json(ClassicWire.disconnectRequest(Optional.empty(), rooms, except, close)));
  }

  static Outgoing serverSideEmitMessage(
      EmitterLink link, String nsp, String event, Object... args) {
    refuseCallback(args);
    Objects.requireNonNull(event, "event");
    ArrayNode data = JsonNodeFactory.instance.arrayNode(args.length + 1);
    data.add(event);
    data.addAll(Json.array(link.options.mapper(), args));
    return new Outgoing(
        channels(link, nsp).request(),
        ClassicWire.json(
            ClassicWire.serverSideEmitRequest(ClassicWire.EMITTER_UID, Optional.empty(), data)));
  }

  private static Channels channels(EmitterLink link, String nsp) {
    return new Channels(link.options.key(), nsp);
  }

  /** The reference refuses a trailing function: an emitter cannot receive acknowledgements. */
  private static void refuseCallback(Object[] args) {
    if (args.length == 0) {
      return;
    }
    Object last = args[args.length - 1];
    if (last instanceof Runnable
        || last instanceof Consumer
        || last instanceof BiConsumer
        || last instanceof Function
        || last instanceof BiFunction
        || (last != null && last.getClass().isSynthetic())) {
      throw new UnsupportedOperationException("Acknowledgements are not supported");
    }
  }

  private static Set<String> union(Set<String> a, String[] b) {
    Set<String> all = new LinkedHashSet<>(a);
    for (String room : b) {
      all.add(Objects.requireNonNull(room, "room"));
    }
    return Collections.unmodifiableSet(all);
  }

  @Override
  public String toString() {
    return "EmitterOperator{nsp="
        + nsp
        + ", rooms="
        + rooms
        + ", except="
        + except
        + ", flags="
        + flags
        + "}";
  }
}
