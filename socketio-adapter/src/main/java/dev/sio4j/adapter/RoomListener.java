package dev.sio4j.adapter;

/**
 * Room life-cycle events of an adapter: {@code create-room}, {@code delete-room}, {@code
 * join-room}, {@code leave-room} (also for each socket's own room, named by its id).
 *
 * <p>Thread-safety: called on the thread that changed the room (a socket's event loop, or the
 * thread that called {@code join}/{@code leave}); must be thread-safe and must not block.
 */
public interface RoomListener {
  default void onCreateRoom(String room) {}

  default void onDeleteRoom(String room) {}

  default void onJoinRoom(String room, String socketId) {}

  default void onLeaveRoom(String room, String socketId) {}
}
