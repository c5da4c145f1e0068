package dev.sio4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging as a new user meets it, in a JVM of its own: without any SLF4J provider a handler's
 * exception still reaches {@code System.err} (SLF4J alone would drop it); with one, the server says
 * where it listens in one INFO line.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LoggingChildJvmTest {
  @TempDir Path dir;

  @Test
  void withoutAnSlf4jProviderAHandlerFailureStillReachesStderr() throws Exception {
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !e.contains("slf4j-simple"))
            .collect(Collectors.joining(File.pathSeparator));
    String err = run(classPath, List.of());
    assertTrue(err.contains("No SLF4J providers were found"), err);
    List<String> warns = err.lines().filter(l -> l.contains(" WARN ")).toList();
    assertEquals(1, warns.size(), err);
    assertTrue(warns.get(0).contains("threw on event 'chat'"), warns.get(0));
    assertTrue(warns.get(0).contains("boom in child"), warns.get(0));
    assertTrue(err.contains("\tat "), "the stack trace follows: " + err);
  }

  @Test
  void withAProviderTheServerSaysWhereItListensInOneInfoLine() throws Exception {
    String err =
        run(
            System.getProperty("java.class.path"),
            List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info"));
    List<String> listening = err.lines().filter(l -> l.contains("listening on")).toList();
    assertEquals(1, listening.size(), err);
    String line = listening.get(0);
    assertTrue(line.contains(" INFO "), line);
    assertTrue(
        line.matches(
            ".*http://127\\.0\\.0\\.1:\\d+/socket\\.io/ \\(transports: polling, websocket;.*"),
        line);
    assertTrue(line.startsWith("[sio4j-accept-1]"), line);
  }

  /** Runs {@link LoggingChild}; its standard error. */
  private String run(String classPath, List<String> jvmOptions)
      throws IOException, InterruptedException {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    command.add(LoggingChild.class.getName());
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not end");
    } finally {
      p.destroyForcibly();
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), stdout + stderr);
    assertTrue(stdout.contains("child done") && !stdout.contains("no failure"), stdout + stderr);
    return stderr;
  }
}
