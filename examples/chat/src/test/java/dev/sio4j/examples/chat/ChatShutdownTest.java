package dev.sio4j.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.client.ClientSocket;
import dev.sio4j.client.SocketIoClient;
import dev.sio4j.client.SocketOptions;
import dev.sio4j.engineio.testing.Await;
import dev.sio4j.testing.EventRecorder;
import dev.sio4j.testing.RecordedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A chat server that shuts down says nothing to the rooms: its users did not leave. Many pages
 * (Java clients) in one room, spread over the server's event loops, so that the disconnection of
 * one would reach others still connected if the server announced it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int PAGES = 10;

  private ChatServer server;
  private final List<SocketIoClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(c -> Await.join(c.close(), WAIT));
    if (server != null) {
      server.close();
    }
  }

  /** A page in #general, recording what it receives. */
  private EventRecorder page(String nick, boolean reconnection) {
    SocketIoClient client =
        SocketIoClient.builder().uri(server.url()).reconnection(reconnection).build();
    clients.add(client);
    ClientSocket socket =
        client.socket(
            "/", SocketOptions.builder().auth(Map.of("nick", nick, "token", "t-" + nick)).build());
    EventRecorder seen = EventRecorder.of(socket);
    socket.connect();
    seen.await("connect", WAIT);
    JsonNode joined =
        Await.join(
                socket.timeout(WAIT).emitWithAck("join", Map.of("room", "general")),
                WAIT.plusSeconds(1))
            .json(0);
    assertTrue(joined.path("ok").asBoolean(), joined.toString());
    return seen;
  }

  @Test
  void aServerShuttingDownDoesNotTellTheRoomsThatEveryoneWentOffline() {
    server = ChatServer.start("127.0.0.1", 0);
    List<EventRecorder> pages = new ArrayList<>();
    for (int i = 0; i < PAGES; i++) {
      pages.add(page("user" + i, false));
    }
    // Everyone has seen everyone join: the room is complete on every page.
    EventRecorder last = pages.get(PAGES - 1);
    Await.until(
        () ->
            last.events("members").stream()
                .anyMatch(e -> e.args().json(0).path("users").size() == PAGES),
        "the last page sees the whole room");

    server.close();
    server = null;
    for (EventRecorder page : pages) {
      page.await("disconnect", WAIT);
    }
    List<String> leaves = new ArrayList<>();
    for (EventRecorder page : pages) {
      for (RecordedEvent e : page.events("system")) {
        if (e.args().json(0).path("kind").asText().equals("leave")) {
          leaves.add(e.args().json(0).path("text").asText());
        }
      }
    }
    assertEquals(List.of(), leaves, "leave notices sent while the server shut down");
  }

  @Test
  void aPageThatLeavesIsStillAnnounced() {
    server = ChatServer.start("127.0.0.1", 0);
    EventRecorder alice = page("alice", true);
    page("bob", true);
    Await.join(clients.get(1).close(), WAIT);
    RecordedEvent left = alice.await("system", WAIT);
    while (!left.args().json(0).path("kind").asText().equals("leave")) {
      left = alice.await("system", WAIT);
    }
    assertEquals("bob went offline", left.args().json(0).path("text").asText());
  }
}
