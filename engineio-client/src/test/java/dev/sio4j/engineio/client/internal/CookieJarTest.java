package dev.sio4j.engineio.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code withCredentials} cookie jar: storing, paths, expiry, bounds. */
class CookieJarTest {

  @Test
  void sendsBackWhatWasSetLatestValueWinning() {
    CookieJar jar = new CookieJar();
    assertEquals(Optional.empty(), jar.header("/socket.io/"));
    jar.store(List.of("SRV=n1; path=/", "a=\"quoted\"; HttpOnly"));
    jar.store(List.of("SRV=n2"));
    assertEquals(Optional.of("SRV=n2; a=quoted"), jar.header("/socket.io/?EIO=4"));
  }

  @Test
  void respectsPath() {
    CookieJar jar = new CookieJar();
    jar.store(List.of("io=1; Path=/socket.io", "other=2; Path=/admin"));
    assertEquals(Optional.of("io=1"), jar.header("/socket.io/?EIO=4&transport=polling"));
    assertEquals(Optional.empty(), jar.header("/socket.iox/"));
  }

  @Test
  void maxAgeAndExpiresRemoveOrExpire() {
    CookieJar jar = new CookieJar();
    jar.store(
        List.of("a=1", "b=2", "c=3; Max-Age=3600", "d=4; Expires=Wed, 21 Oct 2015 07:28:00 GMT"));
    assertEquals(Optional.of("a=1; b=2; c=3"), jar.header("/"));
    jar.store(List.of("a=gone; Max-Age=0", "b=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT"));
    assertEquals(Optional.of("c=3"), jar.header("/"));
    // Max-Age wins over Expires, whatever their order.
    jar.store(List.of("e=5; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT"));
    assertEquals(Optional.of("c=3; e=5"), jar.header("/"));
  }

  @Test
  void isBounded() {
    CookieJar jar = new CookieJar();
    List<String> many = new ArrayList<>();
    for (int i = 0; i < CookieJar.MAX_COOKIES + 10; i++) {
      many.add("c" + i + "=" + i);
    }
    many.add("huge=" + "x".repeat(CookieJar.MAX_COOKIE_LENGTH));
    jar.store(many);
    String header = jar.header("/").orElseThrow();
    assertEquals(CookieJar.MAX_COOKIES, header.split("; ").length);
    // A known cookie can still be updated when the jar is full.
    jar.store(List.of("c0=updated"));
    assertEquals("c0=updated", jar.header("/").orElseThrow().split("; ")[0]);
  }
}
