package dev.sio4j.examples.springboot;

import dev.sio4j.server.Middleware;
import dev.sio4j.server.Socket;
import dev.sio4j.spring.boot.SocketIoMiddleware;
import org.springframework.stereotype.Component;

/**
 * Lets a socket into the main namespace only with a nickname of 1 to 20 characters in its {@code
 * auth} payload, and keeps the nickname in the socket's data.
 *
 * <p>Thread-safety: stateless; called on the sockets' event loops.
 */
@Component
@SocketIoMiddleware("/")
public class NicknameMiddleware implements Middleware {
  static final String KEY = "nickname";

  @Override
  public void handle(Socket socket, Next next) {
    String nickname = socket.handshake().auth().path("nickname").asText("").strip();
    if (nickname.isEmpty() || nickname.length() > 20) {
      next.fail("a nickname has 1 to 20 characters");
      return;
    }
    socket.data().put(KEY, nickname);
    next.proceed();
  }
}
