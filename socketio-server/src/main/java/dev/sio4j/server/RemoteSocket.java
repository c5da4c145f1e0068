package dev.sio4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.adapter.BroadcastFlags;
import dev.sio4j.adapter.SocketDetails;
import dev.sio4j.adapter.SocketHandle;
import dev.sio4j.common.internal.Json;
import dev.sio4j.socketio.parser.SioPacket;
import java.util.Set;

/**
 * A socket as {@code fetchSockets()} returns it, on this node or another: id, handshake, rooms and
 * data as they were when fetched, and the operations that work from anywhere.
 *
 * <p>Thread-safety: immutable snapshot; the operations are thread-safe.
 */
public final class RemoteSocket {
  private final SocketHandle handle;
  private final SocketDetails details;
  private final Namespace nsp;

  RemoteSocket(SocketHandle handle, Namespace nsp) {
    this.handle = handle;
    this.details = handle.details();
    this.nsp = nsp;
  }

  public String id() {
    return details.id();
  }

  public JsonNode handshake() {
    return details.handshake();
  }

  public Set<String> rooms() {
    return details.rooms();
  }

  public JsonNode data() {
    return details.data();
  }

  public void emit(String event, Object... args) {
    SioPacket packet =
        SioPacket.event(nsp.name(), Json.eventArray(nsp.server().mapper(), event, args));
    handle.deliver(packet, nsp.encoder().encode(packet), BroadcastFlags.DEFAULT);
  }

  public void join(String... rooms) {
    handle.join(Set.of(rooms));
  }

  public void leave(String... rooms) {
    handle.leave(Set.of(rooms));
  }

  public void disconnect(boolean close) {
    handle.disconnect(close);
  }
}
