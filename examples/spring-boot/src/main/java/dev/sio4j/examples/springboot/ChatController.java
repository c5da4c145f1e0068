package dev.sio4j.examples.springboot;

import dev.sio4j.server.DisconnectReason;
import dev.sio4j.server.Socket;
import dev.sio4j.spring.boot.OnConnect;
import dev.sio4j.spring.boot.OnDisconnect;
import dev.sio4j.spring.boot.OnEvent;
import dev.sio4j.spring.boot.SocketIoController;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat's handlers: everyone in the main namespace hears every message; the sender's ack gets
 * the message as it was delivered (with the server's time).
 *
 * <p>Thread-safety: stateless; called on the sockets' event loops.
 */
@SocketIoController("/")
public class ChatController {
  private static final Logger log = LoggerFactory.getLogger(ChatController.class);

  /** What a client sends. */
  public record Draft(String text) {}

  /** What everyone receives. */
  public record Message(String from, String text, Instant at) {}

  @OnConnect
  void joined(Socket socket) {
    socket.broadcast().emit("joined", nickname(socket));
  }

  @OnEvent("chat")
  Message chat(Socket socket, Draft draft) {
    String text = draft.text() == null ? "" : draft.text().strip();
    if (text.isEmpty() || text.length() > 500) {
      socket.emit("error", "a message has 1 to 500 characters");
      return null;
    }
    Message message = new Message(nickname(socket), text, Instant.now());
    socket.broadcast().emit("chat", message);
    return message;
  }

  @OnDisconnect
  void left(Socket socket, DisconnectReason reason) {
    log.debug("{} left: {}", nickname(socket), reason);
    socket.broadcast().emit("left", nickname(socket));
  }

  static String nickname(Socket socket) {
    return String.valueOf(socket.data().get(NicknameMiddleware.KEY));
  }
}
