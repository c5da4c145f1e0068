/**
 * Wire formats and plumbing of the Redis adapters and the emitter: not a public API, may change in
 * any release.
 */
package dev.sio4j.redis.internal;
