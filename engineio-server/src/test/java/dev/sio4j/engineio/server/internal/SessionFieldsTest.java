package dev.sio4j.engineio.server.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@code EngineIoSocket}'s accessors read from other threads must be volatile (or final): the
 * loop writes these fields, and a plain field read on another thread may see a stale value forever
 * (a JIT may hoist the read out of a polling loop). No test can show a stale read
 * deterministically, so this pins the fields the accessors read.
 */
class SessionFieldsTest {

  @ParameterizedTest(name = "{0}.{1}")
  @CsvSource({
    // isOpen(), isWritable()
    "Session, openMirror",
    // transport(), isWritable()
    "Session, transportMirror",
    // upgraded()
    "Session, upgradedMirror",
    // attachment()
    "Session, attachment",
    // isWritable(): the current transport's flag
    "Transport, writable",
  })
  void readFromAnyThreadSoVolatile(String type, String field) throws Exception {
    Field f = Class.forName(getClass().getPackageName() + "." + type).getDeclaredField(field);
    assertTrue(
        Modifier.isVolatile(f.getModifiers()) || Modifier.isFinal(f.getModifiers()),
        type + "." + field + " is read from other threads");
  }
}
