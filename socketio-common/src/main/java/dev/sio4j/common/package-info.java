/**
 * The vocabulary sio4j's Socket.IO server ({@code dev.sio4j.server}) and client ({@code
 * dev.sio4j.client}) share, so that a program using both needs no qualified names: {@link
 * dev.sio4j.common.Arguments}, {@link dev.sio4j.common.Ack}, the listener interfaces ({@link
 * dev.sio4j.common.EventListener}, {@link dev.sio4j.common.AckEventListener}, {@link
 * dev.sio4j.common.AnyListener}), {@link dev.sio4j.common.Subscription}, {@link
 * dev.sio4j.common.SocketEmitter} and the exceptions rooted at {@link
 * dev.sio4j.common.SocketIoException}.
 *
 * <p>Thread-safety: every type states its own; values are immutable, callbacks run on the event
 * thread of the socket that calls them.
 */
package dev.sio4j.common;
