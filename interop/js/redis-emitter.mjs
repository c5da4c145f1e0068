// The official @socket.io/redis-emitter, driven line by line from stdin.
// Usage: node redis-emitter.mjs <redis-url> [options JSON] [--timeout=s]
//   options JSON: Emitter options, e.g. {"key":"socket.io"} (the default key).
// Every command may carry "nsp" (default "/"), "to" and "except" (a room or an array of rooms),
// and "seq" (echoed by "done"; by default the commands are numbered 1, 2, 3...).
//   {"cmd":"emit","event":e,"args":[...]}
//   {"cmd":"socketsJoin","rooms":r|[...]}   {"cmd":"socketsLeave","rooms":r|[...]}
//   {"cmd":"disconnectSockets","close":bool}
//   {"cmd":"serverSideEmit","event":e,"args":[...]}
// After Redis has taken the PUBLISH of a command: {"event":"done","seq":n,"receivers":k} (k: the
// number of subscribers PUBLISH reached). Binary args travel as {"$binary":"<base64>"}.
// Stdout also has {"event":"ready"} once connected and redis_error lines. Exits at end of stdin.
import { createClient } from 'redis';
import { Emitter } from '@socket.io/redis-emitter';
import { commands, fromJson, out, parseArgs, parseJson } from './lib.mjs';

const [url, optionsJson] = parseArgs();
if (!url) throw new Error('usage: redis-emitter.mjs <redis-url> [options JSON]');

const client = createClient({ url });
let lastError;
client.on('error', (err) => {
  const message = String(err?.message ?? err);
  if (message !== lastError) out('redis_error', { message });
  lastError = message;
});
await client.connect();

// The emitter fires PUBLISH and forgets the promise; this shim keeps it so that "done" can wait
// until Redis has the message (and tell how many subscribers got it).
let published = [];
const shim = {
  publish(channel, message) {
    const reply = client.publish(channel, message);
    published.push(reply);
    return reply;
  },
};
const emitter = new Emitter(shim, parseJson(optionsJson));

function operator(cmd) {
  let op = emitter.of(cmd.nsp ?? '/');
  if (cmd.to !== undefined) op = op.to(cmd.to);
  if (cmd.except !== undefined) op = op.except(cmd.except);
  return op;
}

let count = 0;
commands(async (cmd) => {
  count += 1;
  const seq = cmd.seq ?? count;
  published = [];
  switch (cmd.cmd) {
    case 'emit':
      operator(cmd).emit(cmd.event, ...fromJson(cmd.args ?? []));
      break;
    case 'socketsJoin':
      operator(cmd).socketsJoin(cmd.rooms);
      break;
    case 'socketsLeave':
      operator(cmd).socketsLeave(cmd.rooms);
      break;
    case 'disconnectSockets':
      operator(cmd).disconnectSockets(cmd.close === true);
      break;
    case 'serverSideEmit':
      // No to/except: the emitter's serverSideEmit addresses every server of the namespace.
      emitter.of(cmd.nsp ?? '/').serverSideEmit(cmd.event, ...fromJson(cmd.args ?? []));
      break;
    default:
      out('error', { message: `unknown command ${cmd.cmd}`, seq });
      return;
  }
  const replies = await Promise.all(published);
  out('done', { seq, receivers: replies.reduce((sum, n) => sum + Number(n), 0) });
}, () => {
  setTimeout(() => process.exit(0), 1000).unref();
  client.close().finally(() => process.exit(0));
});

out('ready', { url });
