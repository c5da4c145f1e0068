package dev.sio4j.engineio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.testing.AwaitingLog;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Records every Engine.IO client callback as a line ("open", "message:hi", "close:transport close",
 * ...) in an {@link AwaitingLog}; tests await lines by prefix.
 *
 * <p>Thread-safety: thread-safe.
 */
final class RecordingListener implements EngineIoListener {
  private final AwaitingLog<String> lines = new AwaitingLog<>();
  volatile Thread callbackThread;

  private void add(String e) {
    callbackThread = Thread.currentThread();
    lines.add(e);
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
    return lines.await(l -> l.startsWith(prefix), timeout, "'" + prefix + "'");
  }

  void expect(String exact, Duration timeout) {
    assertEquals(exact, await(exact, timeout));
  }

  List<String> snapshot() {
    return lines.entries();
  }
}
