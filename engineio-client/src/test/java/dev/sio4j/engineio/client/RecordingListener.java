package dev.sio4j.engineio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sio4j.engineio.parser.TransportType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Records every callback as a line ("open", "message:hi", "close:transport close", ...). */
final class RecordingListener implements EngineIoListener {
  private final java.util.Set<Integer> consumed = new java.util.HashSet<>();
  private final List<String> all = new ArrayList<>();
  volatile Thread callbackThread;

  private void add(String e) {
    callbackThread = Thread.currentThread();
    synchronized (all) {
      all.add(e);
      all.notifyAll();
    }
  }

  @Override
  public void onOpen(Handshake handshake) {
    add("open");
  }

  @Override
  public void onMessage(String text) {
    add("message:" + text);
  }

  @Override
  public void onBinaryMessage(byte[] data) {
    add("binary:" + Base64.getEncoder().encodeToString(data));
  }

  @Override
  public void onUpgrade(TransportType transport) {
    add("upgrade:" + transport);
  }

  @Override
  public void onUpgradeError(Throwable error) {
    add("upgradeError:" + error.getMessage());
  }

  @Override
  public void onError(Throwable error) {
    add("error:" + error.getMessage());
  }

  @Override
  public void onClose(CloseReason reason, Optional<Throwable> cause) {
    add("close:" + reason.reason());
  }

  /**
   * The first not yet awaited event whose line starts with {@code prefix}; other events stay
   * available to later calls.
   */
  String await(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (all) {
      while (true) {
        for (int i = 0; i < all.size(); i++) {
          if (!consumed.contains(i) && all.get(i).startsWith(prefix)) {
            consumed.add(i);
            return all.get(i);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("no '" + prefix + "' within " + timeout + "; saw " + all);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(all, left);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new AssertionError(ex);
        }
      }
    }
  }

  void expect(String exact, Duration timeout) {
    assertEquals(exact, await(exact, timeout));
  }

  List<String> snapshot() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }
}
