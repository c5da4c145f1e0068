package dev.sio4j.engineio.server.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * One shared instance of the header names and query tokens that nearly every handshake carries
 * ({@code host}, {@code connection}, {@code EIO}, {@code 4}, {@code websocket}, ...). A session
 * keeps its handshake request for its whole life, and without this each of tens of thousands of
 * idle connections would hold its own copies of the same few strings.
 *
 * <p>Thread-safety: immutable after class initialisation.
 */
final class CommonStrings {
  private static final Map<String, String> CANONICAL = new HashMap<>();

  static {
    for (String s :
        new String[] {
          // header names, lower-case as the request keeps them
          "host",
          "connection",
          "upgrade",
          "origin",
          "user-agent",
          "accept",
          "accept-encoding",
          "accept-language",
          "cache-control",
          "pragma",
          "cookie",
          "referer",
          "content-type",
          "content-length",
          "sec-websocket-key",
          "sec-websocket-version",
          "sec-websocket-extensions",
          "sec-websocket-protocol",
          "sec-fetch-dest",
          "sec-fetch-mode",
          "sec-fetch-site",
          "x-forwarded-for",
          "x-forwarded-proto",
          "authorization",
          // common header values
          "Upgrade",
          "keep-alive",
          "Keep-Alive",
          "close",
          "13",
          "*/*",
          "no-cache",
          "gzip, deflate",
          "gzip, deflate, br",
          "gzip, deflate, br, zstd",
          "permessage-deflate; client_max_window_bits",
          // query keys and values of the Engine.IO handshake
          "EIO",
          "transport",
          "sid",
          "t",
          "b64",
          "j",
          "3",
          "4",
          "polling",
          "websocket",
        }) {
      CANONICAL.put(s, s);
    }
  }

  private CommonStrings() {}

  /** The shared instance of {@code s} when it is a common token, else {@code s} itself. */
  static String canonical(String s) {
    String shared = CANONICAL.get(s);
    return shared != null ? shared : s;
  }
}
