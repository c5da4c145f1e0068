package dev.sio4j.engineio.parser;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the protocol v4 codec; {@link EngineIoFuzzing} states the contract and
 * the input format. A plain test run replays the seeds and past findings kept under {@code
 * EngineIoV4FuzzTestInputs/decode}; the build's fuzz execution mutates them for a bounded time.
 */
class EngineIoV4FuzzTest {
  @FuzzTest(maxDuration = "10s")
  void decode(byte[] input) {
    EngineIoFuzzing.decodeAnything(EngineIoCodec.v4(), input);
  }
}
