// `node bench/httpStack.mjs` (after `npm run build`): what our HTTP app costs per request on top of
// Apollo Server, measured without a gateway or subgraphs. One ApolloServer with a ProfilePicker-sized
// answer (five profiles, about 500 bytes), served three ways, each in a child process pinned to CPU 1
// with the load (autocannon, 50 connections) on CPU 0:
//   express:    `createHttpApp` (packages/platform/src/http/createHttpApp.ts) with the gateway's
//               compression in front, as every server here is built;
//   standalone: Apollo's `startStandaloneServer` (node:http, cors, body-parser), which serves the
//               bench's stock gateway;
//   node:       node:http, the body read and parsed, then executeHTTPGraphQLRequest.
// express minus node is Express 5, its router and the middleware (cors, body-parser, compression):
// what a GraphQL route outside Express could take away from every request. Prints req/s and the
// server's CPU µs per request, per repetition, the three taken in turn.
import { execFileSync, fork } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'gateway', 'package.json'));

if (process.argv[2] === 'serve') await serve(process.argv[3]);
else await measureAll();

async function serve(kind) {
  const { ApolloServer, HeaderMap } = require('@apollo/server');
  const { startStandaloneServer } = require('@apollo/server/standalone');
  const { createHttpApp } = require('@streaming/platform/dist/http/createHttpApp');
  const { compressResponses, DEFAULT_COMPRESSION } = require(path.join(ROOT, 'gateway/dist/http/compressResponses.js'));
  const profiles = Array.from({ length: 5 }, (_, i) => ({ id: `profile-${i}`, name: `Profile ${i}`, avatarUrl: `https://img.example.com/avatars/${i}.png`, isKids: i === 4 }));
  const apollo = new ApolloServer({
    typeDefs: 'type Query { viewer: Viewer! } type Viewer { profiles: [Profile!]! } type Profile { id: ID! name: String! avatarUrl: String isKids: Boolean! }',
    resolvers: { Query: { viewer: () => ({ profiles }) } },
    csrfPrevention: false,
  });
  let start;
  process.on('message', (message) => {
    if (message === 'start') {
      start = process.cpuUsage();
      process.send({ started: true });
    } else if (message === 'stop') {
      const used = process.cpuUsage(start);
      // Exits once the message is handed over: an exit right after send() can drop it.
      process.send({ cpuMs: (used.user + used.system) / 1000 }, () => process.exit(0));
    }
  });
  if (kind === 'standalone') {
    const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } });
    process.send({ port: Number(new URL(url).port) });
    return;
  }
  await apollo.start();
  const server = http.createServer(kind === 'express'
    ? createHttpApp(apollo, { context: async () => ({}), before: compressResponses(DEFAULT_COMPRESSION) })
    : (req, res) => {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', async () => {
        const headers = new HeaderMap();
        for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method, headers, search: '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) },
          context: async () => ({}),
        });
        for (const [name, value] of response.headers) res.setHeader(name, value);
        res.statusCode = response.status ?? 200;
        res.end(response.body.kind === 'complete' ? response.body.string : '');
      });
    });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

async function measureAll() {
  const autocannon = createRequire(path.join(ROOT, 'bench', 'package.json'))('autocannon');
  const body = JSON.stringify({ operationName: 'ProfilePicker', query: 'query ProfilePicker { viewer { profiles { id name avatarUrl isKids } } }', variables: {} });
  const next = (child, wanted) => new Promise((resolve) => child.on('message', (m) => wanted(m) && resolve(m)));
  const results = [];
  for (let rep = 1; rep <= 3; rep++) {
    for (const kind of ['express', 'standalone', 'node']) {
      const child = fork(fileURLToPath(import.meta.url), ['serve', kind], { execArgv: [] });
      const { port } = await next(child, (m) => m.port);
      try {
        execFileSync('taskset', ['-a', '-p', '-c', '1', String(child.pid)], { stdio: 'ignore' });
      } catch {
        // No taskset: unpinned, noisier.
      }
      const load = { url: `http://127.0.0.1:${port}/graphql`, method: 'POST', body, headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, connections: 50 };
      await autocannon({ ...load, duration: 3 });
      child.send('start');
      await next(child, (m) => m.started);
      const run = await autocannon({ ...load, duration: 10 });
      child.send('stop');
      const { cpuMs } = await next(child, (m) => m.cpuMs !== undefined);
      if (run.non2xx || run.errors) throw new Error(`${kind}: ${run.non2xx} non-2xx, ${run.errors} errors`);
      results.push({ rep, kind, rps: run.requests.average, cpuUs: (cpuMs * 1000) / run.requests.total });
      console.log(`rep ${rep} ${kind.padEnd(10)} ${run.requests.average.toFixed(0).padStart(6)} req/s ${((cpuMs * 1000) / run.requests.total).toFixed(0).padStart(5)} µs CPU/req`);
    }
  }
  const median = (kind) => results.filter((r) => r.kind === kind).map((r) => r.cpuUs).sort((a, b) => a - b)[1];
  console.log(`median CPU per request: express ${median('express').toFixed(0)} µs, standalone ${median('standalone').toFixed(0)} µs, node ${median('node').toFixed(0)} µs; our HTTP app costs ${(median('express') - median('node')).toFixed(0)} µs a request over node:http`);
}
