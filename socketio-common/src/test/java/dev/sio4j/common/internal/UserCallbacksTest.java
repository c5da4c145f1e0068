package dev.sio4j.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.common.ArgumentTypeException;
import dev.sio4j.engineio.testing.CapturedStderr;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARN line of a user callback that threw, as the listener lists and the ack registry write it:
 * callback, event, socket, namespace; with a stack trace for a bug, without for a payload that did
 * not fit.
 */
class UserCallbacksTest {
  private static final Logger log = LoggerFactory.getLogger(UserCallbacksTest.class);

  private static final CallbackContext SOCKET =
      new CallbackContext() {
        @Override
        public String namespace() {
          return "/chat";
        }

        @Override
        public String socketId() {
          return "abc123";
        }

        @Override
        public Logger logger() {
          return log;
        }
      };

  private static List<String> warns(String text) {
    return text.lines().filter(l -> l.contains(" WARN ")).toList();
  }

  @Test
  void aThrowingListenerIsOneLineNamingEverythingThenItsStackTrace() {
    Listeners<Runnable> list = new Listeners<>();
    List<String> ran = new java.util.ArrayList<>();
    list.add(
        () -> {
          throw new IllegalStateException("boom");
        });
    list.add(() -> ran.add("second"));
    try (CapturedStderr err = CapturedStderr.start()) {
      list.fire(Runnable::run, SOCKET, "disconnect listener", "disconnect");
      Listeners.safely(
          () -> {
            throw new IllegalArgumentException("bad");
          },
          SOCKET,
          "socket",
          "packet");
      List<String> lines = warns(err.text());
      assertEquals(2, lines.size(), err.text());
      assertTrue(
          lines
              .get(0)
              .endsWith(
                  "disconnect listener threw on event 'disconnect' of socket abc123 in namespace"
                      + " /chat: java.lang.IllegalStateException: boom"),
          lines.get(0));
      assertTrue(lines.get(1).contains("socket threw on event 'packet'"), lines.get(1));
      assertTrue(err.text().contains("\tat "), err.text());
    }
    assertEquals(List.of("second"), ran);
  }

  @Test
  void aPayloadThatDidNotFitIsOneLineWithoutStackTrace() {
    try (CapturedStderr err = CapturedStderr.start()) {
      UserCallbacks.failed(
          SOCKET,
          "listener",
          "chat",
          new ArgumentTypeException("chat", "argument 0 is not a X", null));
      List<String> lines = warns(err.text());
      assertEquals(1, lines.size(), err.text());
      assertTrue(
          lines
              .get(0)
              .endsWith(
                  "listener not called for event 'chat' of socket abc123 in namespace /chat: event"
                      + " 'chat': argument 0 is not a X"),
          lines.get(0));
      assertFalse(err.text().contains("\tat "), err.text());
    }
  }

  @Test
  void aThrowingAckCallbackNamesTheSocketAndTheAck() throws Exception {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    try (CapturedStderr err = CapturedStderr.start()) {
      AckRegistry acks = new AckRegistry(timer, id -> {}, SOCKET);
      acks.register(
          7,
          AckRegistry.Callback.answers(
              a -> {
                throw new IllegalStateException("boom in ack");
              }),
          null,
          true);
      acks.complete(7, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode());
      List<String> lines = warns(err.text());
      assertEquals(1, lines.size(), err.text());
      assertTrue(
          lines.get(0).contains("ack callback threw on event 'ack 7' of socket abc123"),
          lines.get(0));
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void withoutAProviderTheLineGoesToStderrInTheSimpleBindingsShape() {
    try (CapturedStderr err = CapturedStderr.start()) {
      Log.toStderr(
          "WARN",
          "dev.sio4j.X",
          "{} threw on {}",
          new Object[] {"listener", "chat", new IllegalStateException("boom")});
      String text = err.text();
      assertTrue(
          text.startsWith(
              "["
                  + Thread.currentThread().getName()
                  + "] WARN dev.sio4j.X - listener threw on chat"),
          text);
      assertTrue(text.contains("java.lang.IllegalStateException: boom"), text);
      assertTrue(text.contains("\tat "), text);
    }
  }
}
