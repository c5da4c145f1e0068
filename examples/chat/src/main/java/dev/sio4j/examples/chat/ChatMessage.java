package dev.sio4j.examples.chat;

/**
 * One chat line as the page receives it: in a room ({@code room} set, {@code to} empty) or private
 * ({@code to} set, {@code room} empty).
 *
 * <p>Thread-safety: immutable.
 *
 * @param id server-assigned, increasing: the page uses it to drop duplicates (history replayed
 *     after a reconnection, packets replayed by connection state recovery)
 * @param room the room, or {@code ""} for a private message
 * @param from the sender's nickname
 * @param to the recipient's nickname for a private message, else {@code ""}
 * @param text the validated text
 * @param time milliseconds since the epoch, server clock
 */
public record ChatMessage(String id, String room, String from, String to, String text, long time) {}
