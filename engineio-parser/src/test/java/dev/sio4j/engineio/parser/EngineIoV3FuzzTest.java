package dev.sio4j.engineio.parser;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the protocol v3 codec; {@link EngineIoFuzzing} states the contract and
 * the input format. A plain test run replays the seeds and past findings kept under {@code
 * EngineIoV3FuzzTestInputs/decode}; the build's fuzz execution mutates them for a bounded time.
 */
class EngineIoV3FuzzTest {
  @FuzzTest(maxDuration = "10s")
  void decode(byte[] input) {
    EngineIoFuzzing.decodeAnything(EngineIoCodec.v3(), input);
  }
}
