package dev.sio4j.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.common.AckTimeoutException;
import dev.sio4j.common.Arguments;
import dev.sio4j.common.SocketDisconnectedException;
import dev.sio4j.common.SocketIoException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry on a one-thread scheduler standing in for a socket's event loop. */
@Timeout(10)
class AckRegistryTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final List<Long> timedOut = new ArrayList<>();
  private final AckRegistry acks = new AckRegistry(loop, timedOut::add);

  @AfterEach
  void stop() {
    loop.shutdownNow();
  }

  private <T> T onLoop(Supplier<T> task) {
    try {
      return loop.submit(task::get).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("completed normally");
  }

  private static ArrayNode answer(Object... values) {
    return Json.array(MAPPER, values);
  }

  @Test
  void anAnswerCompletesTheFutureAndLeavesNothingPending() throws Exception {
    CompletableFuture<Arguments> f = new CompletableFuture<>();
    onLoop(
        () -> {
          acks.register(3, AckRegistry.Callback.future(f, MAPPER), Duration.ofSeconds(5), true);
          return null;
        });
    assertEquals(1, acks.size());
    assertTrue(onLoop(() -> acks.complete(3, answer("ok", 1))));
    assertEquals(Arguments.of(MAPPER, "ok", 1), f.get(5, TimeUnit.SECONDS));
    assertEquals(0, acks.size());
    assertFalse(onLoop(() -> acks.complete(3, answer())), "a second answer is unknown");
    assertEquals(List.of(), onLoop(() -> List.copyOf(timedOut)), "the timer was cancelled");
  }

  @Test
  void aTimeoutFailsTheAckAndRemovesIt() {
    CompletableFuture<Arguments> f = new CompletableFuture<>();
    onLoop(
        () -> {
          acks.register(7, AckRegistry.Callback.future(f, MAPPER), Duration.ofMillis(20), true);
          return null;
        });
    assertInstanceOf(AckTimeoutException.class, failure(f));
    assertEquals(0, acks.size());
    assertEquals(List.of(7L), onLoop(() -> List.copyOf(timedOut)));
    assertFalse(onLoop(() -> acks.complete(7, answer())), "a late answer is ignored");
  }

  @Test
  void aDisconnectionFailsErrorFirstAcksDropsTheOthersAndKeepsTheKeptOnes() {
    CompletableFuture<Arguments> errorFirst = new CompletableFuture<>();
    List<String> silent = new ArrayList<>();
    CompletableFuture<Arguments> buffered = new CompletableFuture<>();
    onLoop(
        () -> {
          acks.register(1, AckRegistry.Callback.future(errorFirst, MAPPER), null, true);
          acks.register(
              2, AckRegistry.Callback.answers(a -> silent.add(a.toString())), null, false);
          acks.register(3, AckRegistry.Callback.future(buffered, MAPPER), null, true);
          acks.disconnect(id -> id == 3);
          return null;
        });
    assertInstanceOf(SocketDisconnectedException.class, failure(errorFirst));
    assertEquals(1, acks.size(), "the kept ack is still pending");
    assertFalse(buffered.isDone());
    assertEquals(List.of(), onLoop(() -> List.copyOf(silent)));
    assertTrue(onLoop(() -> acks.complete(3, answer(true))));
    assertEquals(0, acks.size());
  }

  @Test
  void failEndsOneAck() {
    CompletableFuture<Arguments> f = new CompletableFuture<>();
    onLoop(
        () -> {
          acks.register(acks.nextId(), AckRegistry.Callback.future(f, MAPPER), null, true);
          return null;
        });
    assertTrue(onLoop(() -> acks.fail(0, new SocketIoException("send buffer full"))));
    assertEquals("send buffer full", failure(f).getMessage());
    assertEquals(0, acks.size());
    assertEquals(1, onLoop(acks::nextId), "ids count up per registry");
  }

  @Test
  void aThrowingCallbackDoesNotStopTheOthers() {
    CompletableFuture<Arguments> second = new CompletableFuture<>();
    onLoop(
        () -> {
          acks.register(
              1,
              new AckRegistry.Callback() {
                @Override
                public void acknowledged(ArrayNode args) {}

                @Override
                public void failed(SocketIoException error) {
                  throw new IllegalStateException("user code");
                }
              },
              null,
              true);
          acks.register(2, AckRegistry.Callback.future(second, MAPPER), null, true);
          acks.disconnect(id -> false);
          return null;
        });
    assertInstanceOf(SocketDisconnectedException.class, failure(second));
    assertEquals(0, acks.size());
  }
}
