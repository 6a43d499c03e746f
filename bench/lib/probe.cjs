'use strict';
/**
 * Preloaded (`node -r bench/lib/probe.cjs`) into every subgraph process the bench starts. It
 * counts, without any change to the product:
 *  - HTTP requests the process serves, and their bytes in and out;
 *  - HTTP requests the process itself sends (undici's diagnostics channel: the subgraph-to-
 *    subgraph `_entities` calls), so the bench can tell gateway fetches from internal ones;
 *  - SQL statements sent through `pg` (what Prisma's pg adapter uses);
 *  - Redis reads (GET/MGET per key) that found a value or not, through ioredis.
 * The bench reads the counters over the IPC channel it opens when it spawns the process.
 */
const http = require('node:http');
const dc = require('node:diagnostics_channel');

const counters = {
  requests: 0,
  bytesIn: 0,
  bytesOut: 0,
  outgoing: 0,
  sql: 0,
  redisHits: 0,
  redisMisses: 0,
  redisCommands: 0,
};

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function patchedEmit(event, req, res) {
  if (event === 'request') {
    counters.requests += 1;
    req.on('data', (chunk) => { counters.bytesIn += chunk.length; });
    const write = res.write;
    const end = res.end;
    res.write = function (chunk, ...rest) {
      if (chunk && typeof chunk !== 'function') counters.bytesOut += Buffer.byteLength(chunk);
      return write.call(this, chunk, ...rest);
    };
    res.end = function (chunk, ...rest) {
      if (chunk && typeof chunk !== 'function') counters.bytesOut += Buffer.byteLength(chunk);
      return end.call(this, chunk, ...rest);
    };
  }
  return emit.apply(this, arguments);
};

dc.subscribe('undici:request:create', () => { counters.outgoing += 1; });

function tryRequire(name) {
  try {
    return require(require.resolve(name, { paths: [process.cwd(), __dirname] }));
  } catch {
    return undefined;
  }
}

const pg = tryRequire('pg');
if (pg && pg.Client) {
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function patchedQuery(config) {
    if (config !== undefined && config !== null && typeof config !== 'function') counters.sql += 1;
    return query.apply(this, arguments);
  };
}

const ioredis = tryRequire('ioredis');
const Redis = ioredis && (ioredis.default || ioredis);
if (Redis && Redis.prototype && Redis.prototype.sendCommand) {
  const send = Redis.prototype.sendCommand;
  Redis.prototype.sendCommand = function patchedSend(command) {
    const result = send.apply(this, arguments);
    counters.redisCommands += 1;
    const name = command && command.name;
    if ((name === 'get' || name === 'mget') && command.promise) {
      command.promise.then((value) => {
        const values = Array.isArray(value) ? value : [value];
        for (const v of values) {
          if (v === null || v === undefined) counters.redisMisses += 1;
          else counters.redisHits += 1;
        }
      }, () => undefined);
    }
    return result;
  };
}

if (process.send) {
  process.on('message', (message) => {
    if (message && message.type === 'bench:counters') {
      process.send({ type: 'bench:counters', id: message.id, counters: { ...counters, rssBytes: process.memoryUsage().rss } });
    }
  });
  if (process.channel) process.channel.unref();
}
