package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * A serialisable snapshot of a socket, as {@code fetchSockets()} returns it across nodes: id,
 * handshake, rooms and data.
 *
 * <p>Thread-safety: immutable.
 */
public final class SocketDetails {
  private final String id;
  private final JsonNode handshake;
  private final Set<String> rooms;
  private final JsonNode data;

  public SocketDetails(String id, JsonNode handshake, Set<String> rooms, JsonNode data) {
    this.id = id;
    this.handshake = handshake;
    this.rooms = Set.copyOf(rooms);
    this.data = data;
  }

  public String id() {
    return id;
  }

  /** The handshake as the reference serialises it: headers, time, address, xdomain, ... */
  public JsonNode handshake() {
    return handshake;
  }

  public Set<String> rooms() {
    return rooms;
  }

  public JsonNode data() {
    return data;
  }
}
