// Shared plumbing for the interop fixture scripts: one JSON object per stdout line, commands as
// JSON lines on stdin, binary values as {"$binary": "<base64>"}, and a bounded lifetime.
import { createInterface } from 'node:readline';

/** Prints one event line; stdout is synchronous for pipes on Linux, so lines survive an exit. */
export function out(event, fields = {}) {
  process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
}

/**
 * Splits argv into positional args, applying `--timeout=<seconds>` (default 30): the script exits
 * by itself after that long so a crashed or forgetful test never leaves it running.
 */
export function parseArgs() {
  let seconds = 30;
  const positional = [];
  for (const arg of process.argv.slice(2)) {
    const m = /^--timeout=(\d+(?:\.\d+)?)$/.exec(arg);
    if (m) seconds = Number(m[1]);
    else positional.push(arg);
  }
  // unref: the timer alone must not keep a script alive that has finished its work.
  setTimeout(() => {
    out('timeout', { seconds });
    process.exit(3);
  }, seconds * 1000).unref();
  process.on('uncaughtException', (err) => {
    out('error', { message: String(err?.message ?? err), stack: err?.stack });
    process.exit(1);
  });
  return positional;
}

/** Parses an optional JSON options argument. */
export function parseJson(text, fallback = {}) {
  return text === undefined || text === '' ? fallback : JSON.parse(text);
}

/**
 * Calls `handler(command)` for every JSON line on stdin. End of stdin means the test process is
 * gone (or closed us), so `onEnd` runs; by default the script exits.
 */
export function commands(handler, onEnd = () => process.exit(0)) {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', async (line) => {
    if (line.trim() === '') return;
    let cmd;
    try {
      cmd = JSON.parse(line);
    } catch (err) {
      out('error', { message: `bad command line: ${err.message}`, line });
      return;
    }
    try {
      await handler(cmd);
    } catch (err) {
      out('error', { message: String(err?.message ?? err), cmd });
    }
  });
  rl.on('close', onEnd);
}

function isBinary(value) {
  return Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

export function toBase64(value) {
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString('base64');
  if (ArrayBuffer.isView(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }
  return Buffer.from(value).toString('base64');
}

/** Converts a received value to plain JSON, binary leaves becoming {"$binary": base64}. */
export function toJson(value) {
  if (isBinary(value)) return { $binary: toBase64(value) };
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

/** The inverse of toJson: {"$binary": base64} objects become Buffers. */
export function fromJson(value) {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$binary') return Buffer.from(value.$binary, 'base64');
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJson(v)]));
  }
  return value;
}

/** Splits event args into data and the trailing ack callback, if the sender asked for one. */
export function splitAck(args) {
  const last = args[args.length - 1];
  return typeof last === 'function' ? [args.slice(0, -1), last] : [args, undefined];
}

/** Close/disconnect "description" values are Errors, objects or undefined; flatten for JSON. */
export function describe(description) {
  if (description === undefined || description === null) return null;
  if (description instanceof Error) return description.message;
  if (typeof description === 'object') {
    const { description: inner, context, ...rest } = description;
    const text = inner instanceof Error ? inner.message : inner;
    return { ...rest, description: text === undefined ? null : String(text) };
  }
  return String(description);
}

/** A text message as {"text": ...}, a binary one as {"binary": base64}. */
export function messageFields(data) {
  return typeof data === 'string' ? { text: data } : { binary: toBase64(data) };
}

export function messageData(cmd) {
  return cmd.binary !== undefined ? Buffer.from(cmd.binary, 'base64') : cmd.text;
}
