// engine.io-client fixture.
// Usage: node engineio-client.mjs <url> [transports=polling,websocket] [upgrade=true] [--timeout=s]
// stdin: {"cmd":"send","text":"..."} | {"cmd":"send","binary":"<base64>"} | {"cmd":"close"}
//      | {"cmd":"extensions"} -> {"event":"extensions","value":"<negotiated WebSocket extensions>"}
import { Socket } from 'engine.io-client';
import { commands, describe, messageData, messageFields, out, parseArgs } from './lib.mjs';

const [url, transports = 'polling,websocket', upgrade = 'true'] = parseArgs();
if (!url) throw new Error('usage: engineio-client.mjs <url> [transports] [upgrade]');

const socket = new Socket(url, {
  path: '/engine.io',
  transports: transports.split(','),
  upgrade: upgrade !== 'false',
});

socket.on('open', () => out('open', { sid: socket.id, transport: socket.transport.name }));
socket.on('upgrade', (transport) => out('upgrade', { transport: transport.name }));
socket.on('message', (data) => out('message', messageFields(data)));
socket.on('error', (err) => out('error', { message: String(err?.message ?? err) }));
socket.on('close', (reason, description) => {
  out('close', { reason, description: describe(description) });
  // Nothing more can happen on a closed engine.io socket; let the test see the exit.
  setImmediate(() => process.exit(0));
});

commands(
  (cmd) => {
    switch (cmd.cmd) {
      case 'send':
        socket.send(messageData(cmd));
        break;
      case 'close':
        socket.close();
        break;
      case 'extensions':
        // `ws` reports what the server agreed to; empty over polling or without an extension.
        out('extensions', { value: socket.transport?.ws?.extensions ?? '' });
        break;
      default:
        out('error', { message: `unknown command ${cmd.cmd}` });
    }
  },
  () => {
    socket.close();
    process.exit(0);
  },
);
