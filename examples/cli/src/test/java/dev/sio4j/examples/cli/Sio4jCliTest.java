package dev.sio4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sio4j.interop.NodeServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CLI against the reference server, with stdin and stdout in memory. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Sio4jCliTest {

  @Test
  void emitsStdinLinesAndPrintsAcks() throws Exception {
    try (NodeServer server = NodeServer.socketIo("{\"namespaces\":[\"/chat\"]}")) {
      String input = "hello [1, {\"$binary\":\"AQI=\"}]\n?echo [\"x\", 2]\nplain not json\n";
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      int code =
          Sio4jCli.run(
              new String[] {
                server.url(), "--nsp", "/chat", "--transports", "websocket", "--auth", "{\"u\":1}"
              },
              new BufferedReader(new StringReader(input)),
              out);
      assertEquals(0, code);
      Duration wait = Duration.ofSeconds(10);
      JsonNode conn = server.script().await("connection", wait);
      assertEquals("/chat", conn.path("nsp").asText());
      assertEquals(1, conn.path("auth").path("u").asInt());
      JsonNode hello =
          server.script().await("event", n -> n.path("name").asText().equals("hello"), wait);
      assertEquals(1, hello.path("args").get(0).asInt());
      assertArrayEquals(
          new byte[] {1, 2},
          Base64.getDecoder().decode(hello.path("args").get(1).path("$binary").asText()));
      JsonNode plain =
          server.script().await("event", n -> n.path("name").asText().equals("plain"), wait);
      assertEquals("not json", plain.path("args").get(0).asText());
      String printed = bytes.toString(StandardCharsets.UTF_8);
      assertTrue(printed.contains("{\"event\":\"connect\""), printed);
      assertTrue(
          printed.contains("{\"event\":\"ack\",\"name\":\"echo\",\"args\":[\"x\",2]}"), printed);
      assertTrue(printed.contains("\"reason\":\"io client disconnect\""), printed);
    }
  }
}
