package dev.sio4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.common.Ack;
import dev.sio4j.common.Arguments;
import dev.sio4j.server.BroadcastOperator;
import dev.sio4j.server.Namespace;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The cluster test app: the handlers every node of a test cluster runs on namespace {@code /},
 * whether it is a sio4j node (this class, also behind {@code sio4j-conformance.jar cluster}) or a
 * Node {@code socket.io} node ({@code interop/js/cluster-node.mjs}, the same protocol). Clients
 * drive the cluster with these events; "acks" means the handler answers the client's ack with one
 * argument, and a failed cluster request answers {@code "error: <message>"}.
 *
 * <ul>
 *   <li>{@code join(room)}, {@code leave(room)}: acks {@code "ok"};
 *   <li>{@code pub(room, ...args)}: {@code io.to(room).emit("tick", ...args)}; {@code
 *       pubAll(...args)}: {@code io.emit("tick", ...)}; {@code pubExcept(room|null, except,
 *       ...args)}; {@code bcast(...args)}: {@code socket.broadcast.emit("tick", ...)};
 *   <li>{@code pubAck(room|null, timeoutMs)}: {@code io.to(room).timeout(t).emitWithAck("ask",
 *       room)}, acks the answers sorted by their JSON text;
 *   <li>{@code count(room)}: acks the number of {@code io.in(room).fetchSockets()}; {@code
 *       ids(room|null)}: acks their sorted ids;
 *   <li>{@code socketsJoin(room|null, newRoom)}, {@code socketsLeave(room|null, oldRoom)}, {@code
 *       kick(room|null)} (disconnects them, with {@code close}; {@code disconnect} is a reserved
 *       event name): ack {@code "ok"};
 *   <li>{@code sse(x)}: {@code io.serverSideEmit("sse", x)}; every other node then emits {@code
 *       sse-got(x)} to its local sockets; {@code sseAck(x)}: {@code
 *       io.serverSideEmitWithAck("sse-ack", x)}, each other node answering {@code {port, x}}, acks
 *       the answers sorted;
 *   <li>{@code whoami()}: acks the node's port; {@code rooms()}: acks the socket's sorted rooms.
 * </ul>
 *
 * <p>Thread-safety: {@link #install} may be called from any thread, once per server.
 */
public final class ClusterApp {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Comparator<JsonNode> BY_TEXT = Comparator.comparing(JsonNode::toString);

  private ClusterApp() {}

  /**
   * Installs the handlers on namespace {@code /} of {@code server}.
   *
   * @param port the port the node reports with {@code whoami} and in {@code sse-ack} answers
   */
  public static void install(SocketIoServer server, int port) {
    Namespace io = server.sockets();
    io.on("sse", (args, ack) -> io.local().emit("sse-got", args.json(0)));
    io.on(
        "sse-ack",
        (args, ack) -> {
          ObjectNode answer = F.objectNode();
          answer.put("port", port);
          answer.set("x", args.size() > 0 ? args.json(0) : F.nullNode());
          ack.send(answer);
        });
    io.onConnection(socket -> handlers(io, socket, port));
  }

  private static void handlers(Namespace io, Socket socket, int port) {
    socket.on(
        "join",
        (args, ack) -> {
          socket.join(args.string(0));
          ack.send("ok");
        });
    socket.on(
        "leave",
        (args, ack) -> {
          socket.leave(args.string(0));
          ack.send("ok");
        });
    socket.on("pub", (args, ack) -> io.to(args.string(0)).emit("tick", rest(args, 1)));
    socket.on("pubAll", (args, ack) -> io.emit("tick", rest(args, 0)));
    socket.on(
        "pubExcept",
        (args, ack) -> {
          BroadcastOperator op =
              args.json(0).isNull() ? io.except(args.string(1)) : io.to(args.string(0));
          if (!args.json(0).isNull()) {
            op = op.except(args.string(1));
          }
          op.emit("tick", rest(args, 2));
        });
    socket.on("bcast", (args, ack) -> socket.broadcast().emit("tick", rest(args, 0)));
    socket.on(
        "pubAck",
        (args, ack) -> {
          JsonNode room = args.json(0);
          Duration timeout = Duration.ofMillis(args.json(1).asLong(5000));
          BroadcastOperator op =
              room.isNull() ? io.timeout(timeout) : io.to(room.textValue()).timeout(timeout);
          reply(
              ack,
              op.emitWithAck("ask", room),
              answers -> {
                List<JsonNode> list = new ArrayList<>();
                answers.forEach(a -> list.add(a.size() > 0 ? a.json(0) : F.nullNode()));
                return sorted(list);
              });
        });
    socket.on(
        "count",
        (args, ack) ->
            reply(ack, target(io, args.json(0)).fetchSockets(), s -> F.numberNode(s.size())));
    socket.on(
        "ids",
        (args, ack) ->
            reply(
                ack,
                target(io, args.json(0)).fetchSockets(),
                sockets -> {
                  List<JsonNode> ids = new ArrayList<>();
                  sockets.forEach(s -> ids.add(F.textNode(s.id())));
                  return sorted(ids);
                }));
    socket.on(
        "socketsJoin",
        (args, ack) -> {
          target(io, args.json(0)).socketsJoin(args.string(1));
          ack.send("ok");
        });
    socket.on(
        "socketsLeave",
        (args, ack) -> {
          target(io, args.json(0)).socketsLeave(args.string(1));
          ack.send("ok");
        });
    socket.on(
        "kick",
        (args, ack) -> {
          // Answered first: the caller may be one of the sockets disconnected.
          ack.send("ok");
          target(io, args.json(0)).disconnectSockets(true);
        });
    socket.on("sse", (args, ack) -> io.serverSideEmit("sse", args.json(0)));
    socket.on(
        "sseAck",
        (args, ack) ->
            reply(
                ack,
                io.serverSideEmitWithAck("sse-ack", args.json(0)),
                answers -> {
                  List<JsonNode> list = new ArrayList<>();
                  answers.forEach(a -> list.add(a.size() > 0 ? a.json(0) : F.nullNode()));
                  return sorted(list);
                }));
    socket.on("whoami", (args, ack) -> ack.send(port));
    socket.on(
        "rooms",
        (args, ack) -> {
          List<JsonNode> rooms = new ArrayList<>();
          socket.rooms().forEach(r -> rooms.add(F.textNode(r)));
          ack.send(sorted(rooms));
        });
  }

  /** {@code io.in(room)}, or every socket for a JSON {@code null}. */
  private static BroadcastOperator target(Namespace io, JsonNode room) {
    return room == null || room.isNull() ? io.except() : io.in(room.textValue());
  }

  private static Object[] rest(Arguments args, int from) {
    ArrayNode all = args.json();
    Object[] rest = new Object[Math.max(0, all.size() - from)];
    for (int i = from; i < all.size(); i++) {
      rest[i - from] = all.get(i);
    }
    return rest;
  }

  private static ArrayNode sorted(List<JsonNode> items) {
    items.sort(BY_TEXT);
    ArrayNode array = F.arrayNode(items.size());
    items.forEach(array::add);
    return array;
  }

  private static <T> void reply(
      Ack ack, CompletableFuture<T> future, Function<T, JsonNode> answer) {
    future.whenComplete(
        (value, error) -> {
          if (error == null) {
            ack.send(answer.apply(value));
          } else {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            ack.send("error: " + cause.getMessage());
          }
        });
  }
}
