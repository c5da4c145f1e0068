package dev.sio4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's complete example is the example test this module runs, character for character. */
class ReadmeTest {
  private static final Path EXAMPLE =
      Path.of("src/test/java/dev/sio4j/testing/example/ChatTest.java");

  @Test
  void theReadmeExampleIsTheExampleTest() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    String example = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
    int start = readme.indexOf("```java\npackage dev.sio4j.testing.example;");
    if (start < 0) {
      throw new AssertionError("README.md has no ```java block holding " + EXAMPLE);
    }
    start += "```java\n".length();
    int end = readme.indexOf("```", start);
    assertEquals(example, readme.substring(start, end), "README.md differs from " + EXAMPLE);
  }
}
