package dev.sio4j.examples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks of everything a client sends. Each check returns the cleaned value or throws {@link
 * Invalid} with a message fit to show to the user.
 *
 * <p>Thread-safety: stateless.
 */
final class Validation {
  static final int MAX_NICK = 20;
  static final int MAX_ROOM = 24;
  static final int MAX_TEXT = 500;

  private static final Pattern NICK = Pattern.compile("[\\p{L}\\p{N}_.\\-]+");
  private static final Pattern ROOM = Pattern.compile("[\\p{L}\\p{N}_\\-]+");

  private Validation() {}

  /** A refused input: {@code code} for programs, {@code getMessage()} for people. */
  static final class Invalid extends RuntimeException {
    private final String code;

    Invalid(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    String code() {
      return code;
    }
  }

  static String nickname(JsonNode value) {
    String nick = value != null && value.isTextual() ? value.textValue().strip() : "";
    if (nick.isEmpty()) {
      throw new Invalid("NICK_EMPTY", "Please pick a nickname.");
    }
    if (nick.codePointCount(0, nick.length()) > MAX_NICK) {
      throw new Invalid("NICK_TOO_LONG", "Nicknames are at most " + MAX_NICK + " characters.");
    }
    if (!NICK.matcher(nick).matches()) {
      throw new Invalid(
          "NICK_INVALID", "Nicknames may use letters, digits, '_', '-' and '.' (no spaces).");
    }
    return nick;
  }

  /** Room names are case-insensitive: {@code General} and {@code general} are one room. */
  static String room(JsonNode value) {
    String room =
        value != null && value.isTextual()
            ? value.textValue().strip().toLowerCase(Locale.ROOT).replaceFirst("^#", "")
            : "";
    if (room.isEmpty()) {
      throw new Invalid("ROOM_EMPTY", "A room needs a name.");
    }
    if (room.codePointCount(0, room.length()) > MAX_ROOM) {
      throw new Invalid("ROOM_TOO_LONG", "Room names are at most " + MAX_ROOM + " characters.");
    }
    if (!ROOM.matcher(room).matches()) {
      throw new Invalid("ROOM_INVALID", "Room names may use letters, digits, '_' and '-'.");
    }
    return room;
  }

  static String text(JsonNode value) {
    String text = value != null && value.isTextual() ? value.textValue().strip() : "";
    // Control characters other than line breaks and tabs have no place in a chat line.
    text = text.replaceAll("[\\p{Cc}&&[^\\n\\t]]", "");
    if (text.isEmpty()) {
      throw new Invalid("TEXT_EMPTY", "Empty messages are not sent.");
    }
    if (text.codePointCount(0, text.length()) > MAX_TEXT) {
      throw new Invalid("TEXT_TOO_LONG", "Messages are at most " + MAX_TEXT + " characters.");
    }
    return text;
  }

  /** The first argument of an event, which must be a JSON object. */
  static JsonNode object(JsonNode value) {
    if (value == null || !value.isObject()) {
      throw new Invalid("BAD_REQUEST", "Malformed request.");
    }
    return value;
  }
}
