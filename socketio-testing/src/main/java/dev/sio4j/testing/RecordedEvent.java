package dev.sio4j.testing;

import dev.sio4j.common.Ack;
import dev.sio4j.common.Arguments;
import java.util.Objects;

/**
 * One event an {@link EventRecorder} or a {@link SocketIoWireClient} saw: its name, its arguments,
 * the acknowledgement the sender asked for, and the thread it was recorded on.
 *
 * <p>The acknowledgement may be answered from the test thread, after the event was recorded: {@code
 * recorder.await("question").ack().send("answer")}. Only the first answer of an event is sent,
 * whoever sends it (a listener of the socket or the test). For an event sent without one, {@code
 * ack()} is {@link Ack#NONE}.
 *
 * <p>Thread-safety: immutable; {@link Ack#send} may be called from any thread.
 *
 * @param name the event name; lifecycle events use their reserved names (see {@link EventRecorder})
 * @param args the arguments
 * @param ack the acknowledgement, {@link Ack#NONE} if none was asked for
 * @param thread the name of the thread the event was recorded on
 */
public record RecordedEvent(String name, Arguments args, Ack ack, String thread) {
  /** Checks that no component is null. */
  public RecordedEvent {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(ack, "ack");
    Objects.requireNonNull(thread, "thread");
  }

  /** {@code name[args...]}, with {@code +ack} when an acknowledgement was asked for. */
  @Override
  public String toString() {
    return name + args.json() + (ack.requested() ? "+ack" : "");
  }
}
