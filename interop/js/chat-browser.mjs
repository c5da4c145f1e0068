// Headless Chromium driven by playwright-core, for end-to-end tests of web pages (the chat example).
// Usage: node chat-browser.mjs [--chromium=/usr/bin/chromium] [--timeout=s]
// Never downloads a browser: it runs the system's Chromium (Debian package `chromium`).
// Prints {"event":"ready","version":v} once the browser runs. Commands, one per stdin line, each
// with an "id" echoed in its answer {"event":"reply","id":i,"ok":true,"value":v} or
// {"event":"reply","id":i,"ok":false,"message":m}. "page" names a page (each in its own browser
// context: separate cookies and storage, like two people). "ms" bounds the waits (default 10000).
//   {"cmd":"open","page":p,"url":u}                 new context + page, navigates; value: title
//   {"cmd":"fill","page":p,"selector":s,"value":v}  {"cmd":"click","page":p,"selector":s}
//   {"cmd":"type","page":p,"selector":s,"keys":t}  key by key (fires input events)
//   {"cmd":"press","page":p,"selector":s,"key":k}
//   {"cmd":"waitFor","page":p,"selector":s,"text":t?,"state":"visible"|"hidden"|"attached"|"detached"}
//                                                   value: the first match's text
//   {"cmd":"texts","page":p,"selector":s}          value: every match's text
//   {"cmd":"waitFunction","page":p,"expr":js}       waits until the expression is truthy; value: it
//   {"cmd":"eval","page":p,"expr":js}              value: the expression's (JSON) value
//   {"cmd":"stats","page":p}                        value: {websockets, requests, consoleErrors}
//   {"cmd":"trace","page":p}                        from now on, prints the page's requests
//   {"cmd":"screenshot","page":p,"path":file}       {"cmd":"closePage","page":p}
//   {"cmd":"exit"}
// Page errors and console errors are also printed as {"event":"console","page":p,"type":..,"text":..}.
import { chromium } from 'playwright-core';
import { commands, out, parseArgs } from './lib.mjs';

let executablePath = '/usr/bin/chromium';
const rest = [];
for (const arg of process.argv.slice(2)) {
  const m = /^--chromium=(.+)$/.exec(arg);
  if (m) executablePath = m[1];
  else rest.push(arg);
}
process.argv.splice(2, process.argv.length - 2, ...rest);
parseArgs();

// launch() gives the browser a fresh temporary profile (user-data dir), deleted on close.
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--headless',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const pages = new Map(); // name -> {context, page, websockets, requests, consoleErrors}

async function shutdown(code = 0) {
  await browser.close().catch(() => {});
  process.exit(code);
}

function entry(name) {
  const e = pages.get(name);
  if (!e) throw new Error(`no page named ${name}`);
  return e;
}

function locator(cmd) {
  let loc = entry(cmd.page).page.locator(cmd.selector);
  if (cmd.text !== undefined) loc = loc.filter({ hasText: cmd.text });
  return loc.first();
}

async function run(cmd) {
  const ms = cmd.ms ?? 10000;
  switch (cmd.cmd) {
    case 'open': {
      if (pages.has(cmd.page)) throw new Error(`page ${cmd.page} is already open`);
      const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
      const page = await context.newPage();
      const e = { context, page, websockets: 0, requests: 0, consoleErrors: [] };
      pages.set(cmd.page, e);
      page.setDefaultTimeout(ms);
      page.on('websocket', () => e.websockets++);
      page.on('request', () => e.requests++);
      page.on('pageerror', (err) => {
        e.consoleErrors.push(String(err.message));
        out('console', { page: cmd.page, type: 'pageerror', text: String(err.message) });
      });
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        e.consoleErrors.push(msg.text());
        out('console', { page: cmd.page, type: 'error', text: msg.text() });
      });
      await page.goto(cmd.url, { timeout: ms });
      return page.title();
    }
    case 'fill':
      await locator(cmd).fill(cmd.value, { timeout: ms });
      return null;
    case 'click':
      await locator(cmd).click({ timeout: ms });
      return null;
    case 'type':
      await locator(cmd).pressSequentially(cmd.keys, { delay: cmd.delay ?? 30, timeout: ms });
      return null;
    case 'press':
      await locator(cmd).press(cmd.key, { timeout: ms });
      return null;
    case 'waitFor': {
      const loc = locator(cmd);
      await loc.waitFor({ state: cmd.state ?? 'visible', timeout: ms });
      return cmd.state === 'hidden' || cmd.state === 'detached' ? null : loc.textContent();
    }
    case 'texts':
      return entry(cmd.page).page.locator(cmd.selector).allTextContents();
    case 'waitFunction': {
      // As a function: Playwright evaluates a string expression again at every poll with eval(),
      // which a page whose Content-Security-Policy has no 'unsafe-eval' refuses (the chat's).
      const predicate = new Function(`return (${cmd.expr});`);
      const handle = await entry(cmd.page).page.waitForFunction(predicate, null, { timeout: ms });
      return handle.jsonValue();
    }
    case 'eval':
      return entry(cmd.page).page.evaluate(cmd.expr);
    case 'trace': {
      // Network events of a page as {"event":"net",...} lines, for a failure's transcript.
      const e = entry(cmd.page);
      const net = (kind, request, extra = {}) =>
        out('net', { page: cmd.page, kind, url: request.url(), ...extra });
      e.page.on('request', (r) => net('request', r));
      e.page.on('requestfailed', (r) => net('failed', r, { failure: r.failure()?.errorText }));
      e.page.on('requestfinished', (r) => net('finished', r));
      e.page.on('websocket', (ws) => {
        out('net', { page: cmd.page, kind: 'websocket', url: ws.url() });
        ws.on('close', () => out('net', { page: cmd.page, kind: 'websocket-close', url: ws.url() }));
      });
      return null;
    }
    case 'stats': {
      const e = entry(cmd.page);
      return { websockets: e.websockets, requests: e.requests, consoleErrors: e.consoleErrors };
    }
    case 'screenshot':
      await entry(cmd.page).page.screenshot({ path: cmd.path, timeout: ms });
      return cmd.path;
    case 'closePage': {
      const e = pages.get(cmd.page);
      pages.delete(cmd.page);
      if (e) await e.context.close();
      return null;
    }
    case 'exit':
      await shutdown(0);
      return null;
    default:
      throw new Error(`unknown command ${cmd.cmd}`);
  }
}

commands(
  async (cmd) => {
    try {
      out('reply', { id: cmd.id, ok: true, value: (await run(cmd)) ?? null });
    } catch (err) {
      out('reply', { id: cmd.id, ok: false, message: String(err?.message ?? err).split('\n').slice(0, 6).join(' | ') });
    }
  },
  () => shutdown(0),
);
process.on('SIGTERM', () => shutdown(0));
out('ready', { version: browser.version() });
