package dev.sio4j.spring.boot;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.server.Socket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/** Bad properties and bad handler methods stop the application from starting, and say why. */
@Timeout(60)
class StartupFailureTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Empty {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(BadConnect.class)
  static class WithBadHandler {}

  @SocketIoController
  static class BadConnect {
    @OnConnect
    void connected(Socket socket, String what) {}
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(ReservedEvent.class)
  static class WithReservedEvent {}

  @SocketIoController("/x")
  static class ReservedEvent {
    @OnEvent("disconnect")
    void gone() {}
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(AckAndReturn.class)
  static class WithAckAndReturn {}

  @SocketIoController
  static class AckAndReturn {
    @OnEvent("e")
    String both(dev.sio4j.common.Ack ack) {
      return "x";
    }
  }

  private static Throwable failure(Class<?> app, String... properties) {
    return assertThrows(
        Throwable.class,
        () -> {
          ConfigurableApplicationContext context =
              new SpringApplicationBuilder(app)
                  .web(WebApplicationType.NONE)
                  .properties("sio4j.host=127.0.0.1", "sio4j.port=0", "spring.main.banner-mode=off")
                  .properties(properties)
                  .run();
          context.close();
        });
  }

  private static void assertMentions(Throwable failure, String... words) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    for (String word : words) {
      assertTrue(all.toString().contains(word), "'" + word + "' not in:\n" + all);
    }
  }

  @Test
  void aNegativeDurationNamesTheProperty() {
    assertMentions(
        failure(Empty.class, "sio4j.ping-timeout=-1s"), "sio4j.ping-timeout must be positive");
  }

  @Test
  void aPortOutOfRangeNamesTheProperty() {
    assertMentions(
        failure(Empty.class, "sio4j.port=70000"), "sio4j.port must be between 0 and 65535");
  }

  @Test
  void anUnknownTransportNamesTheProperty() {
    assertMentions(
        failure(Empty.class, "sio4j.transports=polling,carrier-pigeon"),
        "sio4j.transports must be polling or websocket (was carrier-pigeon)");
  }

  @Test
  void anUnknownParserNamesTheProperty() {
    assertMentions(failure(Empty.class, "sio4j.parser=xml"), "sio4j.parser", "xml");
  }

  @Test
  void credentialsWithAnyOriginNamesTheProperty() {
    assertMentions(
        failure(Empty.class, "sio4j.cors.allowed-origins=*", "sio4j.cors.allow-credentials=true"),
        "sio4j.cors.allow-credentials cannot be combined with allowed-origins=*");
  }

  @Test
  void reactorNettyModeWithoutWebFluxNamesTheProperty() {
    assertMentions(failure(Empty.class, "sio4j.mode=reactor-netty"), "sio4j.mode needs a WebFlux");
  }

  @Test
  void servletModeWithoutAServletApplicationNamesTheProperty() {
    assertMentions(failure(Empty.class, "sio4j.mode=servlet"), "sio4j.mode needs a servlet");
  }

  @Test
  void aPortInUseNamesThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      assertMentions(
          failure(Empty.class, "sio4j.port=" + port),
          "sio4j.port: Socket.IO cannot listen on 127.0.0.1:" + port);
    }
  }

  @Test
  void aParameterThatCannotBeBoundNamesTheMethod() {
    assertMentions(
        failure(WithBadHandler.class),
        "StartupFailureTest$BadConnect#connected: parameter",
        "java.lang.String cannot be bound");
  }

  @Test
  void aReservedEventNameNamesTheMethod() {
    assertMentions(
        failure(WithReservedEvent.class),
        "StartupFailureTest$ReservedEvent#gone: 'disconnect' is a reserved event name",
        "use @OnDisconnect");
  }

  @Test
  void anAckParameterWithAReturnValueNamesTheMethod() {
    assertMentions(
        failure(WithAckAndReturn.class),
        "StartupFailureTest$AckAndReturn#both: a method that returns the ack's answer takes no Ack");
  }
}
