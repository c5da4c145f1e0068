// The Node.js socket.io 4.8 peer under test, implementing the bench contract (benchmarks/README.md).
// Usage: node --expose-gc bench-server.mjs --port N [--redis redis://127.0.0.1:P[,...]]
//            [--adapter redis|redis-sharded|redis-streams]
// With --redis the node joins a cluster on that Redis through the official adapter named by
// --adapter (default redis: @socket.io/redis-adapter createAdapter; redis-sharded: its
// createShardedAdapter; redis-streams: @socket.io/redis-streams-adapter, with connection state
// recovery on, as its users run it). Several URLs mean a Redis Cluster.
// socket.io is loaded from interop/node_modules (or $SIO4J_INTEROP_DIR/node_modules).
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const interop = process.env.SIO4J_INTEROP_DIR || path.resolve(here, "../../interop");
const require = createRequire(path.join(interop, "package.json"));
const { Server } = require("socket.io");

const argv = process.argv.slice(2);
const flag = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const port = Number(flag("--port") || 3000);
const redisUrls = (flag("--redis") || "").split(",").filter((u) => u !== "");
const adapterKind = flag("--adapter") || "redis";

const options = { serveClient: false };
const redisClients = [];
if (redisUrls.length > 0) {
  const { createClient, createCluster } = require("redis");
  const connect = async (base) => {
    const client =
      base !== undefined
        ? base.duplicate()
        : redisUrls.length > 1
          ? createCluster({ rootNodes: redisUrls.map((url) => ({ url })) })
          : createClient({ url: redisUrls[0] });
    client.on("error", (err) => console.error(`redis: ${err?.message ?? err}`));
    await client.connect();
    redisClients.push(client);
    return client;
  };
  if (adapterKind === "redis-streams") {
    const { createAdapter } = require("@socket.io/redis-streams-adapter");
    options.adapter = createAdapter(await connect());
    options.connectionStateRecovery = {};
  } else if (adapterKind === "redis" || adapterKind === "redis-sharded") {
    const { createAdapter, createShardedAdapter } = require("@socket.io/redis-adapter");
    const pub = await connect();
    const sub = await connect(pub);
    options.adapter =
      adapterKind === "redis" ? createAdapter(pub, sub) : createShardedAdapter(pub, sub);
  } else {
    throw new Error(`unknown adapter ${adapterKind}`);
  }
}

const httpServer = createServer();
const io = new Server(httpServer, options);

io.on("connection", (socket) => {
  socket.on("echo", (...args) => {
    const ack = args.pop();
    ack(...args);
  });
  socket.on("join", (room, ack) => {
    socket.join(room);
    ack("ok");
  });
  socket.on("pub", (room, ...rest) => {
    io.to(room).emit("tick", ...rest);
  });
  socket.on("stats", (...args) => {
    const ack = args.pop();
    if (args[0] === true && global.gc) {
      global.gc();
      global.gc();
    }
    const mem = process.memoryUsage();
    ack({ rss: mem.rss, heapUsed: mem.heapUsed, connections: io.engine.clientsCount });
  });
});

httpServer.listen(port, "127.0.0.1", () => {
  const cluster = redisUrls.length > 0 ? ` adapter=${adapterKind} redis=${redisUrls.join(",")}` : "";
  console.log(`READY node socket.io port=${port}${cluster}`);
});

const stop = () =>
  io.close(() => {
    for (const c of redisClients) c.disconnect().catch(() => {});
    process.exit(0);
  });
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
