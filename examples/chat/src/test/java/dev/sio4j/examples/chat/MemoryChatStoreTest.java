package dev.sio4j.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sio4j.examples.chat.ChatStore.Reservation;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The in-memory store: the contract, and liveness judged by the connected sockets. */
class MemoryChatStoreTest extends ChatStoreContract {
  @Override
  protected ChatStore newStore() {
    return new MemoryChatStore(connected::contains);
  }

  @Test
  void aNicknameWhoseSocketIsGoneIsNotOnline() {
    assertEquals(Reservation.OK, reserve("carol", "", "s1"));
    connected.remove("s1");
    // Not online for private messages; still reserved for a few seconds for a connecting page.
    assertEquals(Optional.empty(), get(store.owner("carol")));
    assertEquals(Reservation.TAKEN, reserve("carol", "", "s2"));
  }
}
