package dev.sio4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.BroadcastOptions;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.internal.Json;
import dev.sio4j.socketio.parser.SioPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Targets a broadcast: {@code io.to("room").except("other").volatile_().emit("event", args)}. Every
 * method returns a new operator; its {@link BroadcastOptions} are exactly what a cluster adapter
 * sends over the wire.
 *
 * <p>Thread-safety: immutable; usable from any thread.
 */
public final class BroadcastOperator {
  private final Namespace nsp;
  private final Set<String> rooms;
  private final Set<String> except;
  private final BroadcastFlags flags;

  BroadcastOperator(Namespace nsp, Set<String> rooms, Set<String> except, BroadcastFlags flags) {
    this.nsp = nsp;
    this.rooms = rooms;
    this.except = except;
    this.flags = flags;
  }

  /** Adds rooms (union). */
  public BroadcastOperator to(String... rooms) {
    return new BroadcastOperator(nsp, union(this.rooms, rooms), except, flags);
  }

  public BroadcastOperator in(String... rooms) {
    return to(rooms);
  }

  /** Excludes the members of these rooms. */
  public BroadcastOperator except(String... rooms) {
    return new BroadcastOperator(nsp, this.rooms, union(except, rooms), flags);
  }

  public BroadcastOperator compress(boolean compress) {
    return new BroadcastOperator(nsp, rooms, except, flags.withCompress(compress));
  }

  /** Drops the packet for clients whose transport is not ready. */
  public BroadcastOperator volatile_() {
    return new BroadcastOperator(nsp, rooms, except, flags.withVolatile(true));
  }

  /** Only this node's clients (no effect with the in-memory adapter). */
  public BroadcastOperator local() {
    return new BroadcastOperator(nsp, rooms, except, flags.withLocal(true));
  }

  /** The time {@link #emitWithAck} waits for every client's answer. */
  public BroadcastOperator timeout(Duration timeout) {
    return new BroadcastOperator(
        nsp, rooms, except, flags.withTimeout(Objects.requireNonNull(timeout)));
  }

  /** The targeting as an adapter sees it. */
  public BroadcastOptions options() {
    return new BroadcastOptions(rooms, except, flags);
  }

  /**
   * Emits to every targeted socket.
   *
   * @throws IllegalArgumentException for a reserved event name
   */
  public void emit(String event, Object... args) {
    ArrayNode array = Json.eventArray(nsp.server().mapper(), event, args);
    nsp.adapter().broadcast(SioPacket.event(nsp.name(), array), options());
  }

  /**
   * Emits to every targeted socket and completes with the first argument of each client's ack once
   * all answered; fails with {@link AckTimeoutException} (carrying the answers received) after the
   * {@link #timeout(Duration)}, which is required here — without it the reference answers with an
   * empty list at once, a known trap.
   *
   * @throws IllegalStateException without a timeout
   */
  public CompletableFuture<List<Arguments>> emitWithAck(String event, Object... args) {
    Json.checkEvent(event);
    Duration timeout =
        flags
            .timeout()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "a broadcast with acknowledgements needs a timeout: use"
                            + " timeout(Duration).emitWithAck(...)"));
    ArrayNode array = Json.eventArray(nsp.server().mapper(), event, args);
    long id = nsp.nextAckId();
    SioPacket packet = SioPacket.event(nsp.name(), array, id);
    CompletableFuture<List<Arguments>> result = new CompletableFuture<>();
    List<Arguments> responses = Collections.synchronizedList(new ArrayList<>());
    int[] expected = {0};
    int[] countsPending = {nsp.adapter().serverCount()};
    Object lock = new Object();
    Runnable check =
        () -> {
          synchronized (lock) {
            if (countsPending[0] == 0 && responses.size() >= expected[0]) {
              result.complete(List.copyOf(responses));
            }
          }
        };
    var timer =
        nsp.server()
            .scheduler()
            .schedule(
                () -> result.completeExceptionally(new AckTimeoutException(List.copyOf(responses))),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    result.whenComplete((r, e) -> timer.cancel(false));
    nsp.adapter()
        .broadcastWithAck(
            packet,
            options(),
            count -> {
              synchronized (lock) {
                expected[0] += count;
                countsPending[0]--;
              }
              check.run();
            },
            ackArgs -> {
              ArrayNode first = nsp.server().mapper().createArrayNode();
              first.add(ackArgs.isEmpty() ? nsp.server().mapper().nullNode() : ackArgs.get(0));
              responses.add(Arguments.slice(nsp.server().mapper(), first, 0, 1));
              check.run();
            });
    return result;
  }

  /** The targeted sockets (local ones as {@link RemoteSocket} views too). */
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return nsp.adapter()
        .fetchSockets(options())
        .thenApply(
            handles -> {
              List<RemoteSocket> list = new ArrayList<>(handles.size());
              handles.forEach(h -> list.add(new RemoteSocket(h, nsp)));
              return list;
            });
  }

  public void socketsJoin(String... rooms) {
    nsp.adapter().addSockets(options(), Set.of(rooms));
  }

  public void socketsLeave(String... rooms) {
    nsp.adapter().delSockets(options(), Set.of(rooms));
  }

  public void disconnectSockets(boolean close) {
    nsp.adapter().disconnectSockets(options(), close);
  }

  private static Set<String> union(Set<String> a, String[] b) {
    Set<String> s = new LinkedHashSet<>(a);
    s.addAll(Arrays.asList(b));
    return Collections.unmodifiableSet(s);
  }
}
