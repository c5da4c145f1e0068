package dev.sio4j.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionsTest {
  @Test
  void messagesAreTheReferences() {
    assertEquals("operation has timed out", new AckTimeoutException().getMessage());
    assertEquals("socket has been disconnected", new SocketDisconnectedException().getMessage());
  }

  @Test
  void everyErrorIsASocketIoException() {
    assertInstanceOf(SocketIoException.class, new AckTimeoutException());
    assertInstanceOf(SocketIoException.class, new SocketDisconnectedException());
    assertInstanceOf(SocketIoException.class, new ConnectErrorException("no", null, null));
    assertInstanceOf(RuntimeException.class, new SocketIoException("x"));
  }

  @Test
  void aBroadcastTimeoutKeepsTheAnswersThatArrived() {
    Arguments one = Arguments.of(new ObjectMapper(), 1);
    AckTimeoutException e = new AckTimeoutException(List.of(one));
    assertEquals(List.of(one), e.responses());
    assertTrue(new AckTimeoutException().responses().isEmpty());
  }

  @Test
  void connectErrorDataIsOptional() {
    ObjectMapper mapper = new ObjectMapper();
    Throwable cause = new IllegalStateException();
    ConnectErrorException refused =
        new ConnectErrorException("not allowed", mapper.createObjectNode().put("code", 42), null);
    assertEquals(42, refused.data().orElseThrow().path("code").intValue());
    assertTrue(new ConnectErrorException("x", MissingNode.getInstance(), null).data().isEmpty());
    ConnectErrorException failed = new ConnectErrorException("timeout", null, cause);
    assertTrue(failed.data().isEmpty());
    assertSame(cause, failed.getCause());
  }
}
