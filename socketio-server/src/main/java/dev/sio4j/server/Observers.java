package dev.sio4j.server;

import dev.sio4j.adapter.MessageType;
import dev.sio4j.engineio.parser.TransportType;
import dev.sio4j.engineio.server.CloseReason;
import dev.sio4j.server.spi.SocketIoObserver;
import java.util.List;

/**
 * The observer the server calls: one shared no-op when none is registered (so that a call site
 * costs an inlined empty call), the observer itself when there is one, and a fan-out otherwise.
 *
 * <p>Thread-safety: immutable.
 */
final class Observers {
  /** Identity-compared by the call sites that measure bytes only for an observer. */
  static final SocketIoObserver NONE = new SocketIoObserver() {};

  private Observers() {}

  static SocketIoObserver of(List<SocketIoObserver> observers) {
    switch (observers.size()) {
      case 0:
        return NONE;
      case 1:
        return observers.get(0);
      default:
        return new FanOut(observers.toArray(new SocketIoObserver[0]));
    }
  }

  /** The number of bytes of {@code s} in UTF-8 (an unpaired surrogate counts as its {@code ?}). */
  static int utf8Length(CharSequence s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes++;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2; // 4 bytes for the pair's 2 chars
          i++;
        } else if (Character.isSurrogate(c)) {
          // encoded as '?': one byte, already counted
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  private static final class FanOut implements SocketIoObserver {
    private final SocketIoObserver[] all;

    FanOut(SocketIoObserver[] all) {
      this.all = all;
    }

    @Override
    public void connectionOpened(TransportType transport) {
      for (SocketIoObserver o : all) {
        o.connectionOpened(transport);
      }
    }

    @Override
    public void connectionUpgraded(TransportType from, TransportType to) {
      for (SocketIoObserver o : all) {
        o.connectionUpgraded(from, to);
      }
    }

    @Override
    public void connectionClosed(TransportType transport, CloseReason reason) {
      for (SocketIoObserver o : all) {
        o.connectionClosed(transport, reason);
      }
    }

    @Override
    public void socketConnected(String namespace) {
      for (SocketIoObserver o : all) {
        o.socketConnected(namespace);
      }
    }

    @Override
    public void socketDisconnected(String namespace, DisconnectReason reason) {
      for (SocketIoObserver o : all) {
        o.socketDisconnected(namespace, reason);
      }
    }

    @Override
    public void connectRefused(String namespace, boolean knownNamespace) {
      for (SocketIoObserver o : all) {
        o.connectRefused(namespace, knownNamespace);
      }
    }

    @Override
    public void recoveryAttempted(String namespace) {
      for (SocketIoObserver o : all) {
        o.recoveryAttempted(namespace);
      }
    }

    @Override
    public void recoverySucceeded(String namespace) {
      for (SocketIoObserver o : all) {
        o.recoverySucceeded(namespace);
      }
    }

    @Override
    public void eventReceived(String namespace, String event, int bytes) {
      for (SocketIoObserver o : all) {
        o.eventReceived(namespace, event, bytes);
      }
    }

    @Override
    public void eventSent(String namespace, String event, int bytes, boolean broadcast) {
      for (SocketIoObserver o : all) {
        o.eventSent(namespace, event, bytes, broadcast);
      }
    }

    @Override
    public void ackRequested(String namespace) {
      for (SocketIoObserver o : all) {
        o.ackRequested(namespace);
      }
    }

    @Override
    public void ackAnswered(String namespace) {
      for (SocketIoObserver o : all) {
        o.ackAnswered(namespace);
      }
    }

    @Override
    public void ackTimedOut(String namespace) {
      for (SocketIoObserver o : all) {
        o.ackTimedOut(namespace);
      }
    }

    @Override
    public void acksAbandoned(String namespace, int count) {
      for (SocketIoObserver o : all) {
        o.acksAbandoned(namespace, count);
      }
    }

    @Override
    public void clusterRequestSent(String namespace, MessageType type) {
      for (SocketIoObserver o : all) {
        o.clusterRequestSent(namespace, type);
      }
    }

    @Override
    public void clusterRequestTimedOut(String namespace, MessageType type) {
      for (SocketIoObserver o : all) {
        o.clusterRequestTimedOut(namespace, type);
      }
    }
  }
}
