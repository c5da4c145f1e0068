package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.RecoverySession;
import dev.sio4j.adapter.SessionStore;
import dev.sio4j.common.internal.Json;
import dev.sio4j.common.internal.UserCallbacks;
import dev.sio4j.socketio.parser.SioPacket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one connection joins one namespace, from its CONNECT packet to the connection listeners: the
 * single place that owns the order of the steps, so that {@link Client}, {@link Namespace} and
 * {@link Socket} each do only their own part.
 *
 * <ol>
 *   <li><b>Namespace</b>: a registered namespace of that name, else the child created by the first
 *       dynamic parent whose matcher accepts the name and auth, else CONNECT_ERROR "Invalid
 *       namespace".
 *   <li><b>Recovery</b>: with connection state recovery on, a protocol v5 client (a legacy one
 *       never receives a {@code pid}, see {@link LegacyProtocol}), a session store, and a textual
 *       {@code pid} and {@code offset} in the auth, the store restores the session (possibly on
 *       another thread: the flow comes back to the loop) and the new socket takes its id, data and
 *       rooms. The rooms are joined before the middlewares run, as the reference's socket joins
 *       them when it is made. A restored socket skips the middlewares when {@link
 *       RecoveryOptions#skipMiddlewares()} says so.
 *   <li><b>Middlewares</b>: the namespace's chain as it is at that moment (the reference copies its
 *       list), one after the other, each continuing on the loop whichever thread called {@code
 *       proceed}; only the first call of a step's {@code next} counts.
 *   <li><b>Accept</b>: if the connection is still open, the namespace and the client register the
 *       socket, the socket sends CONNECT (then the missed packets of a recovery) and flushes, then
 *       the connection listeners run.
 *   <li><b>Refuse</b>: a middleware's {@code fail} (or exception) gives back the rooms the socket
 *       was put in and answers CONNECT_ERROR with the message and data.
 * </ol>
 *
 * <p>Static: the state of a flow is its socket (which knows its namespace and client), so a
 * handshake allocates nothing for the flow itself, and one small object per middleware step.
 *
 * <p>Thread-safety: every step runs on the connection's event loop.
 */
final class ConnectFlow {
  private static final Logger log = LoggerFactory.getLogger(ConnectFlow.class);

  private ConnectFlow() {}

  /** A CONNECT packet for a namespace the client has not joined. Runs on the client's loop. */
  static void start(SocketIoServer server, Client client, String name, JsonNode auth) {
    Namespace nsp = server.namespaceOrNull(name);
    if (nsp == null) {
      nsp = server.matchDynamic(name, auth);
    }
    if (nsp == null) {
      refuse(server, client, name, "Invalid namespace", null, false);
      return;
    }
    Optional<RecoveryOptions> recovery = server.options().connectionStateRecovery();
    Optional<SessionStore> store = nsp.adapter().sessionStore();
    JsonNode pid = auth.get("pid");
    JsonNode offset = auth.get("offset");
    if (recovery.isEmpty()
        || client.legacy()
        || store.isEmpty()
        || pid == null
        || !pid.isTextual()
        || offset == null
        || !offset.isTextual()) {
      runMiddlewares(new Socket(nsp, client, auth, null));
      return;
    }
    Namespace target = nsp;
    client.observer().recoveryAttempted(nsp.name());
    store
        .get()
        .restore(pid.textValue(), offset.textValue())
        .whenComplete(
            (session, error) ->
                client
                    .conn()
                    .executor()
                    .execute(
                        () ->
                            restored(
                                target,
                                client,
                                auth,
                                error == null && session.isPresent() ? session.get() : null,
                                recovery.get())));
  }

  private static void restored(
      Namespace nsp,
      Client client,
      JsonNode auth,
      RecoverySession previous,
      RecoveryOptions recovery) {
    if (previous != null) {
      // A store may have joined them already: joining twice changes nothing.
      nsp.adapter().addAll(previous.sid(), previous.rooms());
    }
    Socket socket = new Socket(nsp, client, auth, previous);
    if (previous != null && recovery.skipMiddlewares() && client.isOpen()) {
      accept(socket);
    } else {
      runMiddlewares(socket);
    }
  }

  private static void runMiddlewares(Socket socket) {
    List<Middleware> chain = socket.namespace().middlewares();
    if (chain.isEmpty()) {
      accept(socket);
    } else {
      new Step(List.copyOf(chain), socket, 0).run();
    }
  }

  private static void accept(Socket socket) {
    Client client = socket.client();
    if (!client.isOpen()) {
      socket.abandon();
      return;
    }
    socket.namespace().attach(socket);
    client.added(socket);
    socket.onConnect();
    socket.namespace().fireConnection(socket);
  }

  private static void refuse(
      SocketIoServer server,
      Client client,
      String nsp,
      String message,
      Object data,
      boolean knownNamespace) {
    if (!client.isOpen()) {
      return;
    }
    client.observer().connectRefused(nsp, knownNamespace);
    JsonNode payload;
    if (client.legacy() && knownNamespace) {
      // "Invalid namespace" keeps its object form for legacy clients too, as in the reference.
      payload = LegacyProtocol.connectErrorPayload(server.mapper(), message, data);
    } else {
      ObjectNode object = server.mapper().createObjectNode();
      object.put("message", message);
      if (data != null) {
        object.set("data", Json.toNode(server.mapper(), data));
      }
      payload = object;
    }
    client.write(SioPacket.connectError(nsp, payload), BroadcastFlags.DEFAULT);
  }

  /**
   * One middleware of the chain and its {@code next}; the flag is "this step was answered", so that
   * only the first {@code proceed}/{@code fail} counts. Run (as a task) it calls its middleware.
   */
  private static final class Step extends AtomicBoolean implements Middleware.Next, Runnable {
    private final List<Middleware> chain;
    private final Socket socket;
    private final int index;

    Step(List<Middleware> chain, Socket socket, int index) {
      this.chain = chain;
      this.socket = socket;
      this.index = index;
    }

    @Override
    public void run() {
      try {
        chain.get(index).handle(socket, this);
      } catch (RuntimeException e) {
        UserCallbacks.failed(
            log, "middleware", "connection", socket.namespace().name(), socket.id(), e);
        fail(e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }

    @Override
    public void proceed() {
      if (compareAndSet(false, true)) {
        int next = index + 1;
        socket.onLoop(next < chain.size() ? new Step(chain, socket, next) : () -> accept(socket));
      }
    }

    @Override
    public void fail(String message) {
      fail(message, null);
    }

    @Override
    public void fail(String message, Object data) {
      if (compareAndSet(false, true)) {
        socket.onLoop(
            () -> {
              socket.abandon();
              Namespace nsp = socket.namespace();
              refuse(nsp.server(), socket.client(), nsp.name(), message, data, true);
            });
      }
    }
  }
}
