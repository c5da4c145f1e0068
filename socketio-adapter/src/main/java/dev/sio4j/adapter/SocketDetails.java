package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A serialisable snapshot of a socket, as {@code fetchSockets()} returns it from any node of a
 * cluster: one element of the {@code sockets} array of a {@code FETCH_SOCKETS_RESPONSE} ({@code
 * {id, handshake, rooms: [...], data}}; the component names are the wire names).
 *
 * <p>Thread-safety: immutable, provided the JSON trees are not modified after creation.
 *
 * @param id the socket's public id
 * @param handshake the handshake as the reference serialises it: headers, time, address, xdomain,
 *     secure, issued, url, query, auth
 * @param rooms the rooms of the socket, its own room included
 * @param data the socket's {@code data}, as JSON ({@code NullNode} when it has none)
 */
public record SocketDetails(String id, JsonNode handshake, Set<String> rooms, JsonNode data) {
  /** Copies the rooms, keeping their order (as they go on the wire); no component may be null. */
  public SocketDetails {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(handshake, "handshake");
    rooms = Collections.unmodifiableSet(new LinkedHashSet<>(rooms));
    Objects.requireNonNull(data, "data");
  }
}
