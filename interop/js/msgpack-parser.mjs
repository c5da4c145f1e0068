// The npm msgpack parser as the reference for golden vectors: encodes packets with
// socket.io-msgpack-parser (notepack.io 2.2 inside) and values with notepack.io 3.x, and decodes
// bytes with the parser's Decoder.
// Usage: node msgpack-parser.mjs [--timeout=s]
// stdin (every command carries a "tag" that its answer repeats):
//   {"cmd":"encode","tag":t,"packet":P}   -> {"event":"encoded","tag":t,"hex":h}
//   {"cmd":"encode3","tag":t,"value":V}   -> {"event":"encoded","tag":t,"hex":h}   (notepack.io 3.x)
//   {"cmd":"decode","tag":t,"hex":h}      -> {"event":"decoded","tag":t,"packet":P}
//                                            | {"event":"decodeError","tag":t,"message":m}
// P and V are JSON whose key order is kept; JS values JSON cannot say are tagged objects:
//   {"$binary":b64} Buffer   {"$arraybuffer":b64} ArrayBuffer   {"$uint8array":b64} Uint8Array
//   {"$undefined":true}   {"$date":ms} Date   {"$number":"NaN"|"Infinity"|"-Infinity"|"-0"}
// Decoded packets use the same tags (a Buffer or an ArrayBuffer both come back as $binary/
// $arraybuffer as they are).
import msgpackParser from 'socket.io-msgpack-parser';
import notepack3 from 'notepack.io';
import { commands, out, parseArgs } from './lib.mjs';

parseArgs();

function fromTagged(value) {
  if (Array.isArray(value)) return value.map(fromTagged);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys;
    const v = value[key];
    switch (key) {
      case '$binary':
        return Buffer.from(v, 'base64');
      case '$arraybuffer': {
        const b = Buffer.from(v, 'base64');
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
      }
      case '$uint8array':
        return new Uint8Array(Buffer.from(v, 'base64'));
      case '$undefined':
        return undefined;
      case '$date':
        return new Date(v);
      case '$number':
        return Number(v);
      default:
    }
  }
  const result = {};
  for (const key of keys) result[key] = fromTagged(value[key]);
  return result;
}

function toTagged(value) {
  if (value === undefined) return { $undefined: true };
  if (Buffer.isBuffer(value)) return { $binary: value.toString('base64') };
  if (value instanceof ArrayBuffer) return { $arraybuffer: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return { $date: value.getTime() };
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return { $number: '-0' };
    if (!Number.isFinite(value)) return { $number: String(value) };
    return value;
  }
  if (Array.isArray(value)) return value.map(toTagged);
  if (value !== null && typeof value === 'object') {
    const result = {};
    for (const key of Object.keys(value)) result[key] = toTagged(value[key]);
    return result;
  }
  return value;
}

const encoder = new msgpackParser.Encoder();

commands((cmd) => {
  const tag = cmd.tag ?? null;
  switch (cmd.cmd) {
    case 'encode': {
      const frames = encoder.encode(fromTagged(cmd.packet));
      if (frames.length !== 1) throw new Error(`expected one frame, got ${frames.length}`);
      out('encoded', { tag, hex: Buffer.from(frames[0]).toString('hex') });
      break;
    }
    case 'encode3':
      out('encoded', { tag, hex: notepack3.encode(fromTagged(cmd.value)).toString('hex') });
      break;
    case 'decode': {
      const decoder = new msgpackParser.Decoder();
      let decoded;
      decoder.on('decoded', (packet) => (decoded = packet));
      try {
        decoder.add(Buffer.from(cmd.hex, 'hex'));
        out('decoded', { tag, packet: toTagged(decoded) });
      } catch (err) {
        out('decodeError', { tag, message: String(err?.message ?? err) });
      }
      break;
    }
    default:
      out('error', { message: `unknown command ${cmd.cmd}` });
  }
});
