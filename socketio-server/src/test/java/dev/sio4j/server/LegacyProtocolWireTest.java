package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sio4j.common.Arguments;
import dev.sio4j.engineio.parser.EngineIoCodec;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.engineio.parser.PacketType;
import dev.sio4j.engineio.server.EngineIoOptions;
import dev.sio4j.engineio.testing.EngineIoWireClient;
import dev.sio4j.engineio.testing.Http;
import dev.sio4j.engineio.testing.LineLog;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Socket.IO protocol v4 on the wire (REFERENCE §4.4), spoken over Engine.IO v3 polling with {@code
 * b64=1} so that every packet reads as text: the exact packets a socket.io-client 2.x sends and
 * expects.
 */
class LegacyProtocolWireTest extends ServerTestSupport {
  private static final EngineIoCodec V3 = EngineIoCodec.v3();

  @Override
  SocketIoOptions.Builder baseOptions() {
    return SocketIoOptions.builder().engine(EngineIoOptions.builder().allowEIO3(true).build());
  }

  /** One Engine.IO v3 polling session, read packet by packet. */
  private static final class Eio3Client {
    private final String base;
    private final String sid;
    private final Deque<Packet> received = new ArrayDeque<>();

    Eio3Client(SocketIoServer io) {
      String url = "http://127.0.0.1:" + io.port() + "/socket.io/?EIO=3&transport=polling&b64=1";
      HttpResponse<byte[]> res = Http.get(url);
      assertEquals(200, res.statusCode(), Http.text(res));
      received.addAll(V3.decodePayload(Http.text(res)));
      Packet open = received.removeFirst();
      assertEquals(PacketType.OPEN, open.type());
      this.sid = EngineIoWireClient.sidOf(open.textData());
      this.base = url + "&sid=" + sid;
    }

    /** The next packet of type message, as text (a binary one as {@code b<base64>}). */
    String next() {
      while (received.isEmpty()) {
        HttpResponse<byte[]> res = Http.get(base);
        assertEquals(200, res.statusCode(), Http.text(res));
        received.addAll(V3.decodePayload(Http.text(res)));
      }
      Packet p = received.removeFirst();
      assertEquals(PacketType.MESSAGE, p.type(), "got " + p);
      return p.isBinary() ? "b" + V3.encodePacket(p).substring(2) : p.textData();
    }

    /** Posts a text payload of already encoded Engine.IO packets. */
    void post(String... packets) {
      StringBuilder payload = new StringBuilder();
      for (String p : packets) {
        payload.append(p.length()).append(':').append(p);
      }
      HttpResponse<byte[]> res = Http.post(base, payload.toString());
      assertEquals(200, res.statusCode(), Http.text(res));
    }
  }

  @Test
  void theEngineOpenJoinsTheDefaultNamespaceWithAConnectWithoutPayload() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s -> ev.add("connection:" + s.id() + ":" + s.conn().id() + ":" + s.handshake().auth()));
    Eio3Client c = new Eio3Client(io);
    assertEquals("0", c.next());
    assertEquals("connection:" + c.sid + ":" + c.sid + ":{}", ev.await("connection:"));
  }

  @Test
  void aNamespaceTakesItsAuthFromTheQueryOfItsConnect() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.of("/custom")
        .onConnection(
            s -> {
              ev.add("connection:" + s.id() + ":" + s.handshake().auth());
              s.on("hi", (args, ack) -> ev.add("hi:" + args.string(0)));
            });
    Eio3Client c = new Eio3Client(io);
    assertEquals("0", c.next());
    c.post("40/custom?token=abc&name=a+b%21&token=last,");
    assertEquals("0/custom,", c.next());
    assertEquals(
        "connection:/custom#" + c.sid + ":{\"token\":\"last\",\"name\":\"a b!\"}",
        ev.await("connection:"));
    c.post("42/custom,[\"hi\",\"there\"]");
    assertEquals("hi:there", ev.await("hi:"));
  }

  @Test
  void aDynamicNamespaceMatchesTheNameWithoutItsQueryAndSeesTheAuth() {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.of((name, auth) -> name.startsWith("/dyn-") && auth.path("k").asText().equals("v"))
        .onConnection(s -> ev.add("connection:" + s.namespace().name() + ":" + s.id()));
    Eio3Client c = new Eio3Client(io);
    assertEquals("0", c.next());
    c.post("40/dyn-1?k=v,");
    assertEquals("0/dyn-1,", c.next());
    assertEquals("connection:/dyn-1:/dyn-1#" + c.sid, ev.await("connection:"));
    c.post("40/dyn-2?k=w,");
    assertEquals("4/dyn-2,{\"message\":\"Invalid namespace\"}", c.next());
  }

  @Test
  void middlewareRefusalsArePlainValuesAndAnUnknownNamespaceKeepsItsObject() {
    SocketIoServer io = server();
    io.use((s, next) -> next.fail("not allowed"));
    io.of("/data").use((s, next) -> next.fail("denied", Map.of("code", 42)));
    io.of("/empty").use((s, next) -> next.fail("denied", ""));
    Eio3Client c = new Eio3Client(io);
    assertEquals("4\"not allowed\"", c.next());
    c.post("40/data,");
    assertEquals("4/data,{\"code\":42}", c.next());
    c.post("40/empty,");
    assertEquals("4/empty,\"denied\"", c.next());
    c.post("40/nope,");
    assertEquals("4/nope,{\"message\":\"Invalid namespace\"}", c.next());
  }

  @Test
  void connectionStateRecoveryIsNotOfferedToALegacyClient() {
    SocketIoServer io = server(b -> b.connectionStateRecovery(RecoveryOptions.defaults()));
    Eio3Client c = new Eio3Client(io);
    assertEquals("0", c.next());
    // The same server offers it to a protocol v5 client: its CONNECT answer carries a pid.
    EngineIoWireClient v5 = client(io, EngineIoWireClient.Transport.POLLING);
    v5.send("40");
    assertTrue(v5.nextText().contains("\"pid\":"));
    Socket s = socketOf(io, c.sid);
    s.emit("plain", 1);
    // Without a pid the event goes out as it is, without an offset appended.
    assertEquals("2[\"plain\",1]", c.next());
    // A broadcast is logged for the v5 clients with its offset last, and sent once to everyone.
    io.emit("all", 2);
    String all = c.next();
    assertTrue(all.matches("2\\[\"all\",2,\"[^\"]+\"]"), all);
  }

  @Test
  void binaryEventsAndBinaryAcksTravelAsBase64PacketsInOnePayload() throws Exception {
    SocketIoServer io = server();
    LineLog ev = new LineLog();
    io.onConnection(
        s ->
            s.on(
                "up",
                (args, ack) -> {
                  ev.add(
                      "up:"
                          + args.get(0, byte[].class).length
                          + ":"
                          + args.get(1, byte[].class).length);
                  ack.send(new byte[] {7});
                }));
    Eio3Client c = new Eio3Client(io);
    assertEquals("0", c.next());
    c.post(
        "452-5[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
        "b4AQID",
        "b4378=");
    assertEquals("up:3:2", ev.await("up:"));
    assertEquals("61-5[{\"_placeholder\":true,\"num\":0}]", c.next());
    assertEquals("bBw==", c.next());

    Socket s = socketOf(io, c.sid);
    CompletableFuture<Arguments> answer = s.timeout(WAIT).emitWithAck("down", new byte[] {1, 2});
    assertEquals("51-0[\"down\",{\"_placeholder\":true,\"num\":0}]", c.next());
    assertEquals("bAQI=", c.next());
    c.post("461-0[\"ok\",{\"_placeholder\":true,\"num\":0}]", "b4/w==");
    Arguments reply = answer.get(10, TimeUnit.SECONDS);
    assertEquals("ok", reply.get(0, String.class));
    assertArrayEquals(new byte[] {(byte) 0xff}, reply.get(1, byte[].class));
  }
}
