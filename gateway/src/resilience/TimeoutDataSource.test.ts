import type { GraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDataSource, createSubgraphFetcher, type SubgraphFetcher } from '../subgraphDataSource';
import { fetchSignalOf, TimeoutDataSource } from './TimeoutDataSource';

/*
 * The fetch's abort signal reaches the fetcher on the request, under a symbol
 * (TimeoutDataSource.ts says why): the fetch must really be cancelled at the timeout, and
 * nothing of the gateway's own plumbing may reach the subgraph.
 */
let server: Server;
let fetcher: SubgraphFetcher;
let url: string;
const received: IncomingHttpHeaders[] = [];
let closed: Promise<unknown>;

beforeAll(async () => {
  let sawClose!: (value: unknown) => void;
  closed = new Promise((resolve) => (sawClose = resolve));
  // A subgraph that reads the request and never answers.
  server = createServer((req, res) => {
    received.push(req.headers);
    res.on('close', () => sawClose(undefined));
    req.resume();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  // The fetcher's own backstop far beyond the test's timeout: only the signal can end the fetch in time.
  fetcher = createSubgraphFetcher({ timeoutMs: 60_000 });
});

afterAll(async () => {
  await fetcher.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('cancels the fetch at its timeout, and nothing of the signal reaches the subgraph', async () => {
  const source = new TimeoutDataSource(createDataSource('catalog', url, fetcher), 'catalog', 200);
  const error = await source
    .process({ kind: GraphQLDataSourceRequestKind.HEALTH_CHECK, request: { query: '{ genres { id } }' }, context: {} })
    .catch((e: unknown) => e);
  expect((error as { extensions?: unknown }).extensions).toEqual({ code: 'GATEWAY_TIMEOUT', serviceName: 'catalog' });
  // The subgraph sees the request go (its socket closed), not a client that waits on.
  await closed;
  expect(received).toHaveLength(1);
  expect(received[0]['content-type']).toBe('application/json');
  expect(Object.keys(received[0]).filter((name) => name.startsWith('x-gateway'))).toEqual([]);
  // Far beyond the 200 ms timeout and far short of the fetcher's own 60 s backstop: a fetch the
  // signal never reached fails this way.
}, 20_000);

it('ends a fetch\'s timeout with the fetch: a fetch that answered in time is never aborted after', async () => {
  let signal: AbortSignal | undefined;
  const answers: GraphQLDataSource = {
    process: async ({ request }) => {
      signal = fetchSignalOf(request);
      return { data: { genres: [] } };
    },
  };
  const source = new TimeoutDataSource(answers, 'catalog', 50);
  const response = await source.process({ kind: GraphQLDataSourceRequestKind.HEALTH_CHECK, request: { query: '{ genres { id } }' }, context: {} });
  expect(response.data).toEqual({ genres: [] });
  expect(signal).toBeDefined();
  // Well past the timeout: a timer left behind would have fired by now, and kept the signal
  // (and what listens to it) alive until then.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(signal!.aborted).toBe(false);
});
