package dev.sio4j.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The records are what a bus adapter serialises: their component names must be the reference's wire
 * field names, and every message type must have its record.
 */
class ClusterMessageShapeTest {
  @Test
  void componentNamesAreTheWireFieldNames() {
    Map<Class<?>, String> expected = new LinkedHashMap<>();
    expected.put(ClusterMessage.InitialHeartbeat.class, "uid,nsp");
    expected.put(ClusterMessage.Heartbeat.class, "uid,nsp");
    expected.put(ClusterMessage.AdapterClose.class, "uid,nsp");
    expected.put(ClusterMessage.Broadcast.class, "uid,nsp,data");
    expected.put(ClusterMessage.BroadcastData.class, "opts,packet,requestId");
    expected.put(ClusterMessage.SocketsJoin.class, "uid,nsp,data");
    expected.put(ClusterMessage.SocketsLeave.class, "uid,nsp,data");
    expected.put(ClusterMessage.RoomsData.class, "opts,rooms");
    expected.put(ClusterMessage.DisconnectSockets.class, "uid,nsp,data");
    expected.put(ClusterMessage.DisconnectData.class, "opts,close");
    expected.put(ClusterMessage.FetchSockets.class, "uid,nsp,data");
    expected.put(ClusterMessage.FetchSocketsData.class, "opts,requestId");
    expected.put(ClusterMessage.ServerSideEmit.class, "uid,nsp,data");
    expected.put(ClusterMessage.ServerSideEmitData.class, "requestId,packet");
    expected.put(ClusterResponse.FetchSocketsResponse.class, "uid,nsp,data");
    expected.put(ClusterResponse.FetchSocketsResponseData.class, "requestId,sockets");
    expected.put(ClusterResponse.ServerSideEmitResponse.class, "uid,nsp,data");
    expected.put(ClusterResponse.BroadcastClientCount.class, "uid,nsp,data");
    expected.put(ClusterResponse.ClientCountData.class, "requestId,clientCount");
    expected.put(ClusterResponse.BroadcastAck.class, "uid,nsp,data");
    expected.put(ClusterResponse.AckData.class, "requestId,packet");
    expected.put(BroadcastOptions.class, "rooms,except,flags");
    expected.put(SocketDetails.class, "id,handshake,rooms,data");
    expected.forEach((type, names) -> assertEquals(names, names(type), type.getSimpleName()));
  }

  @Test
  void everyMessageTypeHasOneRecord() {
    List<Class<?>> messages =
        Arrays.stream(ClusterMessage.class.getPermittedSubclasses())
            .flatMap(
                c ->
                    c == ClusterResponse.class
                        ? Arrays.stream(ClusterResponse.class.getPermittedSubclasses())
                        : Arrays.stream(new Class<?>[] {c}))
            .toList();
    assertEquals(MessageType.values().length, messages.size());
  }

  private static String names(Class<?> type) {
    return String.join(
        ",", Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
  }
}
