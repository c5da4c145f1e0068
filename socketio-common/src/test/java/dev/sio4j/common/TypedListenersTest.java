package dev.sio4j.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.common.internal.EmitFlags;
import dev.sio4j.common.internal.FlagEmitter;
import dev.sio4j.common.internal.ListenerRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The typed overloads of {@link Listenable} and {@link SocketEmitter}, without a connection. */
class TypedListenersTest {
  record Point(int x, int y) {}

  private final ObjectMapper mapper = new ObjectMapper();
  private final ListenerRegistry registry = new ListenerRegistry();

  private void dispatch(String event, Object... values) {
    Arguments args = Arguments.of(mapper, values);
    registry.listeners(event).forEach(l -> l.onEvent(args, Ack.NONE));
  }

  @Test
  void typedListenersReceiveConvertedArguments() {
    List<String> seen = new ArrayList<>();
    registry.on("p", Point.class, p -> seen.add("p:" + p));
    registry.on("pa", Point.class, (p, ack) -> seen.add("pa:" + p.x() + ":" + ack.requested()));
    registry.on("two", Point.class, String.class, (p, s, ack) -> seen.add("two:" + p.y() + s));
    registry.on("list", new TypeReference<List<Point>>() {}, (ps, ack) -> seen.add("list:" + ps));
    registry.once("once", Point.class, (p, ack) -> seen.add("once:" + p.x()));

    dispatch("p", new Point(1, 2), "extra");
    dispatch("pa", new Point(3, 4));
    dispatch("two", new Point(5, 6), "!");
    dispatch("list", List.of(new Point(7, 8)));
    dispatch("once", new Point(9, 9));
    assertEquals(null, registry.listeners("once"));
    assertEquals(
        List.of("p:Point[x=1, y=2]", "pa:3:false", "two:6!", "list:[Point[x=7, y=8]]", "once:9"),
        seen);
  }

  @Test
  void argumentsThatDoNotFitThrowArgumentTypeExceptionNamingTheEvent() {
    registry.on("p", Point.class, p -> {});
    registry.on("two", Point.class, Point.class, (a, b, ack) -> {});
    ArgumentTypeException wrong =
        assertThrows(ArgumentTypeException.class, () -> dispatch("p", "x"));
    assertEquals("p", wrong.event());
    assertTrue(
        wrong.getMessage().startsWith("event 'p': argument 0 is not a "), wrong.getMessage());
    ArgumentTypeException missing =
        assertThrows(ArgumentTypeException.class, () -> dispatch("two", new Point(1, 1)));
    assertTrue(missing.getMessage().contains("argument 1 (a "), missing.getMessage());
    assertTrue(missing.getMessage().endsWith("is missing: 1 received"), missing.getMessage());
  }

  @Test
  void typedEmitWithAckConvertsTheFirstAnswer() {
    AtomicReference<CompletableFuture<Arguments>> pending = new AtomicReference<>();
    SocketEmitter emitter =
        new FlagEmitter((array, flags, ack) -> pending.set(ack), mapper, EmitFlags.DEFAULT);

    CompletableFuture<Point> point = emitter.emitWithAck(Point.class, "ask", 1);
    pending.get().complete(Arguments.of(mapper, new Point(1, 2), "ignored"));
    assertEquals(new Point(1, 2), point.join());

    CompletableFuture<List<Point>> points =
        emitter.emitWithAck(new TypeReference<List<Point>>() {}, "ask");
    pending.get().complete(Arguments.of(mapper, List.of(new Point(3, 4))));
    assertEquals(List.of(new Point(3, 4)), points.join());

    CompletableFuture<Point> none = emitter.emitWithAck(Point.class, "ask");
    pending.get().complete(Arguments.of(mapper));
    CompletionException e = assertThrows(CompletionException.class, none::join);
    ArgumentTypeException cause = assertInstanceOf(ArgumentTypeException.class, e.getCause());
    assertEquals(
        "event 'ask': ack argument 0 (a " + Point.class.getName() + ") is missing: 0 received",
        cause.getMessage());
  }

  @Test
  void anAckSendsAPojoThroughTheMapper() {
    AtomicReference<ArrayNode> sent = new AtomicReference<>();
    Ack ack = dev.sio4j.common.internal.OnceAck.of(mapper, 1, (id, data) -> sent.set(data));
    registry.on("p", Point.class, (p, a) -> a.send(new Point(p.y(), p.x())));
    registry.listeners("p").forEach(l -> l.onEvent(Arguments.of(mapper, new Point(1, 2)), ack));
    assertEquals("[{\"x\":2,\"y\":1}]", sent.get().toString());
  }
}
