package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.adapter.Adapter;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.BroadcastOptions;
import dev.sio4j.adapter.SocketDetails;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketIoException;
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
import java.util.concurrent.CompletionException;
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

  /**
   * Only this node's clients: not sent to the other nodes (no effect with the in-memory adapter).
   */
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
   * all answered, on every node of the cluster (each node reports how many clients it reached);
   * fails with {@link AckTimeoutException} (carrying the answers received) after the {@link
   * #timeout(Duration)}, which is required here — without it the reference answers with an empty
   * list at once, a known trap.
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
    AckCollector collector = new AckCollector(nsp.server().mapper());
    var timer =
        nsp.server()
            .scheduler()
            .schedule(
                // Each target socket forgets the ack by itself, with the same timeout.
                () ->
                    collector.result.completeExceptionally(
                        new AckTimeoutException(collector.responses())),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    collector.result.whenComplete((r, e) -> timer.cancel(false));
    Adapter adapter = nsp.adapter();
    adapter.broadcastWithAck(packet, options(), collector::clientCount, collector::ack);
    adapter
        .serverCount()
        .whenComplete(
            (count, error) -> {
              // Without a count the operation cannot know it is complete: the timeout ends it.
              if (error == null) {
                collector.serverCount(count);
              }
            });
    return collector.result;
  }

  /** The targeted sockets of every node (those of this node as {@link RemoteSocket}s too). */
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    CompletableFuture<List<RemoteSocket>> result = new CompletableFuture<>();
    nsp.adapter()
        .fetchSockets(options())
        .whenComplete(
            (details, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                result.completeExceptionally(
                    cause instanceof SocketIoException
                        ? cause
                        : new SocketIoException(String.valueOf(cause.getMessage()), cause));
                return;
              }
              List<RemoteSocket> list = new ArrayList<>(details.size());
              for (SocketDetails d : details) {
                list.add(new RemoteSocket(nsp, d, nsp.sockets().containsKey(d.id())));
              }
              result.complete(list);
            });
    return result;
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

  /**
   * Counts what a broadcast with acks waits for: every node's client count (the number of nodes
   * known once {@code serverCount} answers) and as many acks as clients. Guarded by its monitor.
   */
  private static final class AckCollector {
    final CompletableFuture<List<Arguments>> result = new CompletableFuture<>();
    private final ObjectMapper mapper;
    private final List<Arguments> responses = new ArrayList<>();
    private int expectedServers = -1;
    private int reportedServers;
    private int expectedClients;

    AckCollector(ObjectMapper mapper) {
      this.mapper = mapper;
    }

    void clientCount(int count) {
      synchronized (this) {
        expectedClients += count;
        reportedServers++;
      }
      check();
    }

    void ack(JsonNode first) {
      ArrayNode one = mapper.createArrayNode();
      one.add(first);
      synchronized (this) {
        responses.add(Arguments.slice(mapper, one, 0, 1));
      }
      check();
    }

    void serverCount(int count) {
      synchronized (this) {
        expectedServers = count;
      }
      check();
    }

    synchronized List<Arguments> responses() {
      return List.copyOf(responses);
    }

    private void check() {
      List<Arguments> done = null;
      synchronized (this) {
        if (expectedServers >= 0
            && reportedServers >= expectedServers
            && responses.size() >= expectedClients) {
          done = List.copyOf(responses);
        }
      }
      if (done != null) {
        result.complete(done);
      }
    }
  }

  private static Set<String> union(Set<String> a, String[] b) {
    Set<String> s = new LinkedHashSet<>(a);
    s.addAll(Arrays.asList(b));
    return Collections.unmodifiableSet(s);
  }
}
