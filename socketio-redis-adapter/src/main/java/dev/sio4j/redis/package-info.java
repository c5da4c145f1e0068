/**
 * Redis adapters for sio4j, wire-compatible with the Node.js adapters so that sio4j nodes and Node
 * {@code socket.io} nodes on the same Redis form one cluster.
 */
package dev.sio4j.redis;
