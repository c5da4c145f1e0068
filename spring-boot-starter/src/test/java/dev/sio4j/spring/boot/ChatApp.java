package dev.sio4j.spring.boot;

import dev.sio4j.common.Ack;
import dev.sio4j.server.DisconnectReason;
import dev.sio4j.server.Middleware;
import dev.sio4j.server.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** A Boot application with annotated handlers, as a user would write it. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ChatApp.ChatController.class, ChatApp.TokenCheck.class})
class ChatApp {

  /** What the handlers saw, for the tests to await. */
  static final class Seen {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  }

  @Bean
  Seen seen() {
    return new Seen();
  }

  record ChatMessage(String from, String text) {}

  record Receipt(String id, int length) {}

  @SocketIoController("/chat")
  static class ChatController {
    private final Seen seen;

    ChatController(Seen seen) {
      this.seen = seen;
    }

    @OnConnect
    void connected(Socket socket) {
      socket.join("lobby");
      seen.lines.add("connect " + socket.handshake().auth());
    }

    /** A typed payload; the return value answers the ack. */
    @OnEvent("message")
    Receipt message(Socket socket, ChatMessage message) {
      seen.lines.add("message " + message);
      socket.to("lobby").emit("message", message);
      return new Receipt(message.from() + ":" + message.text(), message.text().length());
    }

    /** Several typed arguments, a generic one among them, and the Ack as a parameter. */
    @OnEvent("sum")
    void sum(String label, List<Integer> numbers, Ack ack) {
      ack.send(label, numbers.stream().mapToInt(Integer::intValue).sum());
    }

    /** Binary in, binary out. */
    @OnEvent("reverse")
    byte[] reverse(byte[] data) {
      byte[] out = new byte[data.length];
      for (int i = 0; i < data.length; i++) {
        out[i] = data[data.length - 1 - i];
      }
      return out;
    }

    /** An asynchronous answer. */
    @OnEvent("later")
    CompletionStage<String> later(String text) {
      return CompletableFuture.supplyAsync(text::toUpperCase);
    }

    @OnEvent("boom")
    String boom() {
      throw new IllegalStateException("handler failure");
    }

    @OnDisconnect
    void disconnected(DisconnectReason reason, Socket socket) {
      seen.lines.add("disconnect " + reason.text());
    }
  }

  /** Refuses sockets of /chat without a token. */
  @SocketIoMiddleware("/chat")
  static class TokenCheck implements Middleware {
    @Override
    public void handle(Socket socket, Next next) {
      if (socket.handshake().auth().path("token").asText().equals("secret")) {
        next.proceed();
      } else {
        next.fail("bad token");
      }
    }
  }
}
