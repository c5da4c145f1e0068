package dev.sio4j.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlatArrayParserTest {
  private static final ObjectReader READER =
      new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final FlatArrayParser FLAT = new FlatArrayParser(READER);

  /** The fast path must give exactly Jackson's tree, node classes included. */
  private static void assertSameAsJackson(String json) throws Exception {
    ArrayNode fast = FLAT.parse("2" + json, 1);
    assertNotNull(fast, "fast path declined " + json);
    JsonNode jackson = READER.readTree(json);
    assertEquals(jackson, fast, json);
    for (int i = 0; i < jackson.size(); i++) {
      assertEquals(jackson.get(i).getClass(), fast.get(i).getClass(), json + " element " + i);
    }
  }

  @Test
  void typicalEventsTakeTheFastPathAndMatchJackson() throws Exception {
    for (String json :
        new String[] {
          "[]",
          "[\"echo\",\"0123456789abcdef\"]",
          "[\"chat\",\"héllo 😀 ✓\",42,-7,0,-0,true,false,null]",
          "[\"n\",2147483647,2147483648,-2147483648,-2147483649,999999999999999999]",
          "[\"\"]",
          "[\"a/b<c>'\"]",
        }) {
      assertSameAsJackson(json);
    }
  }

  @Test
  void everythingElseIsLeftToJackson() {
    for (String json :
        new String[] {
          "",
          "{}",
          "{\"a\":1}",
          "[\"a\\\"b\"]",
          "[\"a\\u0041\"]",
          "[\"tab\there\"]",
          "[1.5]",
          "[1e3]",
          "[1E3]",
          "[01]",
          "[-]",
          "[1000000000000000000]",
          "[[1]]",
          "[{\"a\":1}]",
          "[ 1]",
          "[1 ]",
          "[1,]",
          "[,1]",
          "[1]x",
          "[1",
          "[\"open",
          "[tru]",
          "[nul]",
          "[True]",
          "[1]]",
        }) {
      assertNull(FLAT.parse("2" + json, 1), json);
    }
  }

  @Test
  void readersThatReadIntegersDifferentlyAreLeftToJackson() {
    ObjectReader big =
        new ObjectMapper().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).reader();
    assertNull(new FlatArrayParser(big).parse("[1]", 0));
    assertNotNull(new FlatArrayParser(big).parse("[\"a\"]", 0));
    ObjectReader longs =
        new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS).reader();
    assertNull(new FlatArrayParser(longs).parse("[1]", 0));
  }

  @Test
  void randomFlatArraysMatchJackson() throws Exception {
    Random random = new Random(7);
    String alphabet = "abcXYZ019 ,:[]{}é😀/'<>";
    for (int round = 0; round < 2000; round++) {
      StringBuilder sb = new StringBuilder("[");
      int size = random.nextInt(6);
      for (int k = 0; k < size; k++) {
        if (k > 0) {
          sb.append(',');
        }
        switch (random.nextInt(4)) {
          case 0:
            sb.append('"');
            int len = random.nextInt(12);
            for (int c = 0; c < len; c++) {
              sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            sb.append('"');
            break;
          case 1:
            sb.append(random.nextLong() >> random.nextInt(64));
            break;
          case 2:
            sb.append(random.nextBoolean());
            break;
          default:
            sb.append("null");
        }
      }
      String json = sb.append(']').toString();
      ArrayNode fast = FLAT.parse(json, 0);
      if (fast != null) {
        assertEquals(READER.readTree(json), fast, json);
      }
    }
  }
}
