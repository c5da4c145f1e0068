package dev.sio4j.client;

import dev.sio4j.engineio.parser.TransportType;
import java.util.List;

/** The transport set-ups every interop test runs with. */
enum Mode {
  POLLING(List.of(TransportType.POLLING), false, "polling"),
  WEBSOCKET(List.of(TransportType.WEBSOCKET), false, "websocket"),
  UPGRADE(List.of(TransportType.POLLING, TransportType.WEBSOCKET), true, "polling");

  final List<TransportType> transports;
  final boolean upgrade;
  final String handshakeTransport;

  Mode(List<TransportType> transports, boolean upgrade, String handshakeTransport) {
    this.transports = transports;
    this.upgrade = upgrade;
    this.handshakeTransport = handshakeTransport;
  }

  SocketIoClient.Builder configure(SocketIoClient.Builder b) {
    return b.transports(transports).upgrade(upgrade);
  }
}
