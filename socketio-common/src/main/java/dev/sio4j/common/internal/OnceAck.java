package dev.sio4j.common.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sio4j.common.Ack;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The {@link Ack} handed to a listener of an event that asked for one: converts the arguments on
 * the caller's thread, then hands the first answer, and only it, to {@link #deliver}.
 *
 * <p>Not part of the public API. Thread-safety: thread-safe; {@link #send} may race from several
 * threads, one wins.
 */
public abstract class OnceAck implements Ack {
  private static final VarHandle SENT;

  static {
    try {
      SENT = MethodHandles.lookup().findVarHandle(OnceAck.class, "sent", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ObjectMapper mapper;

  /** A field, not an AtomicBoolean: one object less for every event with an ack. */
  @SuppressWarnings("unused")
  private volatile int sent;

  protected OnceAck(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public final void send(Object... args) {
    // Converted first: an argument the mapper refuses throws here and leaves the ack unsent.
    ArrayNode data = Json.array(mapper, args);
    if (SENT.compareAndSet(this, 0, 1)) {
      deliver(data);
    }
  }

  @Override
  public final boolean requested() {
    return true;
  }

  /** Sends the ACK packet with {@code data}; called once, on the thread of the first send. */
  protected abstract void deliver(ArrayNode data);

  /** Where an answered ack goes: the socket that received the event, which writes the ACK. */
  @FunctionalInterface
  public interface Sender {
    /** Sends the ACK packet of event {@code ackId}; called at most once per ack, on any thread. */
    void sendAck(long ackId, ArrayNode data);
  }

  /**
   * The ack of the incoming event {@code ackId}, answered through {@code sender}: what client and
   * server sockets hand their listeners.
   */
  public static Ack of(ObjectMapper mapper, long ackId, Sender sender) {
    return new Reply(mapper, ackId, sender);
  }

  private static final class Reply extends OnceAck {
    private final long ackId;
    private final Sender sender;

    Reply(ObjectMapper mapper, long ackId, Sender sender) {
      super(mapper);
      this.ackId = ackId;
      this.sender = sender;
    }

    @Override
    protected void deliver(ArrayNode data) {
      sender.sendAck(ackId, data);
    }
  }
}
