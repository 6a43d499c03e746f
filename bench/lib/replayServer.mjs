// The subgraphs of the gateway-only mode: one port per subgraph, each answering a fetch with the
// bytes the real subgraph gave for the same request body, so that under load the gateway is the
// only thing doing work. Run as a child of the bench (node bench/lib/replayServer.mjs), with
//   REPLAY_UPSTREAMS  {"profile": "http://127.0.0.1:4101/graphql", ...}  the real subgraphs
//   REPLAY_PORTS      {"profile": 4201, ...}                             where to listen
//
// A fetch is keyed by its exact body (a SHA-1 of its bytes), so every gateway gets the answers to
// the fetches *it* sends, however it plans, batches or orders them:
// - known body: the recorded bytes, as they are (no parsing);
// - unknown `_entities` body whose every representation was answered before (with the same query
//   and other variables): the answer is put together from those, then kept under this body too
//   (our gateway's entity cache sends whichever titles it lacks, in ever new combinations);
// - anything else: forwarded to the real subgraph with its headers, answered, recorded. The bench
//   records this way in each scenario's first pass over its variables (before it measures), and
//   reports fetches forwarded while measuring as `replay misses` (they should be none).
// GET /health/* answers ready: the gateway's readiness asks every subgraph.
// Counters per subgraph go to the bench over IPC, like bench/lib/probe.cjs's.
import { createHash } from 'node:crypto';
import http from 'node:http';

const upstreams = JSON.parse(process.env.REPLAY_UPSTREAMS);
const ports = JSON.parse(process.env.REPLAY_PORTS);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect', 'upgrade']);
const READY = Buffer.from('{"status":"ready"}');

const digest = (data) => createHash('sha1').update(data).digest('base64');

/**
 * The last fetches forwarded, newest last, each numbered by its subgraph's `forwarded` count: the
 * bench reports those of a measured run beside its misses, so that a miss says what it was.
 */
const forwardedLately = [];

/**
 * A forwarded fetch in a line: its operation, whether the replay had answered its query text
 * before, and how many representations of which types it carried.
 */
function describeFetch(request, body, queriesSeen) {
  if (!request) return `a body that is not JSON (${body.length} bytes)`;
  const { query, operationName, variables } = request;
  const operation = `${operationName ?? String(query).replace(/\s+/g, ' ').slice(0, 160)} (query ${queriesSeen.has(query) ? 'seen before' : 'new to the replay'})`;
  const lists = Object.entries(variables ?? {}).filter(([, v]) => Array.isArray(v) && v.every((r) => typeof r?.__typename === 'string'));
  const entities = lists.map(([name, list]) => `${name}: ${list.length} (${[...new Set(list.map((r) => r.__typename))].join(', ')})`);
  return entities.length > 0 ? `${operation} [${entities.join('; ')}]` : operation;
}

/** A fetch's body as JSON; undefined when it is not JSON. */
function parseRequest(body) {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function forward(url, req, body) {
  const target = new URL(url);
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const upstream = http.request({ agent, method: 'POST', hostname: target.hostname, port: target.port, path: target.pathname, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, contentType: res.headers['content-type'] ?? 'application/json', body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function createReplay(name, upstream) {
  /** body digest -> { status, contentType, body } */
  const answers = new Map();
  /** digest of (query, other variables, representation) -> that entity's JSON */
  const entities = new Map();
  const counters = { requests: 0, bytesOut: 0, hits: 0, composed: 0, forwarded: 0 };
  /** Query texts answered so far (what a miss is described against). */
  const queriesSeen = new Set();

  const entityKeys = (request) => {
    const { representations, ...rest } = request.variables ?? {};
    if (!Array.isArray(representations)) return undefined;
    const prefix = `${request.query}\n${JSON.stringify(rest)}\n`;
    return representations.map((r) => digest(prefix + JSON.stringify(r)));
  };

  /** Keeps each representation's answer of a clean `_entities` response. */
  function rememberEntities(request, answer) {
    if (answer.status !== 200 || !request) return;
    let response;
    try {
      response = JSON.parse(answer.body);
    } catch {
      return;
    }
    const list = response?.data?._entities;
    const keys = entityKeys(request);
    if (!keys || !Array.isArray(list) || list.length !== keys.length || response.errors) return;
    keys.forEach((k, i) => entities.set(k, JSON.stringify(list[i])));
  }

  function compose(request) {
    if (entities.size === 0 || !request) return undefined;
    const keys = entityKeys(request);
    if (!keys) return undefined;
    const parts = [];
    for (const k of keys) {
      const part = entities.get(k);
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return { status: 200, contentType: 'application/json; charset=utf-8', body: Buffer.from(`{"data":{"_entities":[${parts.join(',')}]}}`) };
  }

  const send = (res, answer) => {
    counters.bytesOut += answer.body.length;
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
    res.end(answer.body);
  };

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url.startsWith('/health/')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': READY.length });
      res.end(READY);
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      counters.requests += 1;
      const body = Buffer.concat(chunks);
      const key = digest(body);
      const known = answers.get(key);
      if (known) {
        counters.hits += 1;
        send(res, known);
        return;
      }
      // Parsed once, for composing, describing a miss and remembering what was forwarded.
      const request = parseRequest(body);
      const composed = compose(request);
      if (composed) {
        counters.composed += 1;
        answers.set(key, composed);
        send(res, composed);
        return;
      }
      counters.forwarded += 1;
      forwardedLately.push({ subgraph: name, n: counters.forwarded, fetch: describeFetch(request, body, queriesSeen) });
      if (forwardedLately.length > 20) forwardedLately.shift();
      forward(upstream, req, body).then(
        (answer) => {
          // Failures are passed on, never kept: a later fetch of the same body tries again.
          if (answer.status === 200) {
            answers.set(key, answer);
            if (request) queriesSeen.add(request.query);
            rememberEntities(request, answer);
          }
          send(res, answer);
        },
        (err) => {
          const text = Buffer.from(JSON.stringify({ errors: [{ message: `replay: ${name} upstream failed: ${err.message}` }] }));
          send(res, { status: 502, contentType: 'application/json', body: text });
        },
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  return { server, counters };
}

const replays = Object.fromEntries(Object.entries(upstreams).map(([name, url]) => [name, createReplay(name, url)]));
await Promise.all(Object.entries(replays).map(([name, r]) => new Promise((resolve) => r.server.listen(ports[name], '127.0.0.1', resolve))));
console.log(`replay ready at ${Object.entries(ports).map(([n, p]) => `${n}:${p}`).join(' ')}`);

process.on('message', (message) => {
  if (message?.type === 'bench:counters') {
    process.send({ type: 'bench:counters', id: message.id, counters: Object.fromEntries(Object.entries(replays).map(([n, r]) => [n, { ...r.counters }])), forwarded: [...forwardedLately] });
  }
});
if (process.channel) process.channel.unref();
process.on('SIGTERM', () => process.exit(0));
