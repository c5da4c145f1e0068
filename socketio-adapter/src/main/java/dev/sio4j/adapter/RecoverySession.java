package dev.sio4j.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Set;

/**
 * The state connection state recovery keeps for a disconnected socket: its public id, private id,
 * rooms and data, and on restore the event packets it missed (each an array of event arguments with
 * its offset last).
 *
 * <p>Thread-safety: immutable.
 */
public final class RecoverySession {
  private final String sid;
  private final String pid;
  private final Set<String> rooms;
  private final JsonNode data;
  private final List<ArrayNode> missedPackets;

  public RecoverySession(
      String sid, String pid, Set<String> rooms, JsonNode data, List<ArrayNode> missedPackets) {
    this.sid = sid;
    this.pid = pid;
    this.rooms = Set.copyOf(rooms);
    this.data = data;
    this.missedPackets = List.copyOf(missedPackets);
  }

  public String sid() {
    return sid;
  }

  public String pid() {
    return pid;
  }

  public Set<String> rooms() {
    return rooms;
  }

  public JsonNode data() {
    return data;
  }

  public List<ArrayNode> missedPackets() {
    return missedPackets;
  }
}
