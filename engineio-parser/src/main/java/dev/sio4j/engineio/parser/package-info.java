/**
 * Engine.IO packets, the transports' names, and the wire format of each protocol revision behind
 * one {@link dev.sio4j.engineio.parser.EngineIoCodec} ({@code v4()}, and {@code v3()} for legacy
 * clients). JDK only.
 *
 * <p>Thread-safety: packets are immutable; codecs are stateless.
 */
package dev.sio4j.engineio.parser;
