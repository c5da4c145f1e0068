package dev.sio4j.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sio4j.engineio.parser.EngineIoV4;
import dev.sio4j.engineio.parser.Packet;
import dev.sio4j.socketio.parser.EncodedSioPacket;
import dev.sio4j.socketio.parser.SioDecoder;
import dev.sio4j.socketio.parser.SioEncoder;
import dev.sio4j.socketio.parser.SioPacket;
import dev.sio4j.socketio.parser.SioPacketDecoder;
import dev.sio4j.socketio.parser.msgpack.MsgpackParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Micro-benchmarks of the parsers: Engine.IO v4 payload encode/decode (the polling body) and
 * Socket.IO packet encode/decode, text and binary, with the JSON parser and the msgpack one ({@code
 * msgpack*}). Run: {@code java -jar benchmarks/jmh/target/benchmarks.jar}.
 *
 * <p>Thread-safety: JMH state, one instance per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParserBenchmarks {
  /** Size of the string argument (text) or byte array (binary). */
  @Param({"16", "1024"})
  public int size;

  private final ObjectMapper mapper = new ObjectMapper();
  private final SioEncoder encoder = new SioEncoder(mapper);
  private List<Packet> packets;
  private String payload;
  private SioPacket textEvent;
  private SioPacket binaryEvent;
  private String encodedText;
  private EncodedSioPacket encodedBinary;
  private SioDecoder decoder;
  private final MsgpackParser msgpack = MsgpackParser.create(mapper);
  private byte[] msgpackText;
  private byte[] msgpackBinary;
  private SioPacketDecoder msgpackDecoder;

  @Setup(Level.Trial)
  public void setup() {
    String s = "x".repeat(size);
    packets = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      packets.add(Packet.message("42" + i + "[\"echo\",\"" + s + "\"]"));
    }
    payload = EngineIoV4.INSTANCE.encodePayload(packets);
    ArrayNode args = mapper.createArrayNode().add("chat");
    ObjectNode msg = args.addObject();
    msg.put("user", "alice").put("text", s).put("ts", 1_700_000_000_000L);
    textEvent = SioPacket.event("/", args, 12);
    ArrayNode binArgs = mapper.createArrayNode().add("upload");
    binArgs.addObject().put("name", "file.bin").put("data", new byte[size]);
    binaryEvent = SioPacket.event("/", binArgs, 13);
    encodedText = encoder.encode(textEvent).text(0);
    encodedBinary = encoder.encode(binaryEvent);
    decoder = new SioDecoder(10, mapper);
    msgpackText = msgpack.encode(textEvent).binary(0);
    msgpackBinary = msgpack.encode(binaryEvent).binary(0);
    msgpackDecoder = msgpack.newDecoder();
  }

  @Benchmark
  public String engineIoEncodePayload() {
    return EngineIoV4.INSTANCE.encodePayload(packets);
  }

  @Benchmark
  public List<Packet> engineIoDecodePayload() {
    return EngineIoV4.INSTANCE.decodePayload(payload);
  }

  @Benchmark
  public EncodedSioPacket socketIoEncodeText() {
    return encoder.encode(textEvent);
  }

  @Benchmark
  public Optional<SioPacket> socketIoDecodeText() {
    return decoder.add(encodedText);
  }

  @Benchmark
  public EncodedSioPacket socketIoEncodeBinary() {
    return encoder.encode(binaryEvent);
  }

  @Benchmark
  public void socketIoDecodeBinary(Blackhole bh) {
    bh.consume(decoder.add(encodedBinary.text(0)));
    for (int i = 1; i < encodedBinary.frameCount(); i++) {
      bh.consume(decoder.add(encodedBinary.binary(i)));
    }
  }

  @Benchmark
  public EncodedSioPacket msgpackEncodeText() {
    return msgpack.encode(textEvent);
  }

  @Benchmark
  public Optional<SioPacket> msgpackDecodeText() {
    return msgpackDecoder.add(msgpackText);
  }

  @Benchmark
  public EncodedSioPacket msgpackEncodeBinary() {
    return msgpack.encode(binaryEvent);
  }

  @Benchmark
  public Optional<SioPacket> msgpackDecodeBinary() {
    return msgpackDecoder.add(msgpackBinary);
  }
}
