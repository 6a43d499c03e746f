import { postGraphQL, type GraphQLResponse } from '@streaming/testing';
import { request } from 'undici';
import { runUntilReady } from './support/processes';
import { loadOperations, startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * SIGTERM to the gateway process under load: readiness turns 503 "draining" first while requests
 * are still served, then the listener closes and every request already sent gets its complete
 * answer before the process exits 0. The load behaves like a load balancer: it stops sending new
 * requests once readiness says draining. Needs the build (`npm run build`).
 */
let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.stop();
});

it('drains in-flight requests on SIGTERM: zero failed, exit 0', async () => {
  const urls = Object.fromEntries(Object.entries(sg.subgraphs).map(([name, s]) => [`${name.toUpperCase().replace('-', '_')}_URL`, s.url]));
  const gateway = runUntilReady('gateway/dist/index.js', {
    ...urls,
    // The gateway verifies tokens with the keys this run's subgraphs trust.
    AUTH_JWKS: JSON.stringify(sg.auth.keys.jwks), PORT: '0', METRICS_PORT: '0', HOST: '127.0.0.1', FAULT_INJECTION: 'true', SHUTDOWN_DELAY_MS: '1000', ENTITY_CACHE_SUBGRAPHS: '',
  });
  const { child, exited } = gateway;
  const gatewayUrl = await gateway.ready;

  const home = await sg.run('HomeScreen', { profileId: 'demo-premium-1', rows: 3, itemsPerRow: 5 });
  const authorization = `Bearer ${await sg.tokenFor('demo-premium', { ttlSeconds: 3_600 })}`;
  const operation = loadOperations().HomeScreen;
  let draining = false;
  const results: (GraphQLResponse | Error)[] = [];
  // Each request is slowed by 300 ms at the catalog, so several are always in flight.
  let inFlight = 0;
  const worker = async () => {
    while (!draining) {
      inFlight += 1;
      results.push(
        await postGraphQL(gatewayUrl, operation, { profileId: 'demo-premium-1', rows: 3, itemsPerRow: 5 }, 'HomeScreen', { authorization, 'x-fault': 'catalog=delay:300' }).catch((err: Error) => err),
      );
      inFlight -= 1;
    }
  };
  const load = Promise.all(Array.from({ length: 8 }, worker));
  // Warm (query plans cached, connections open), then stop it with requests on the wire.
  while (results.length < 16) await new Promise((resolve) => setTimeout(resolve, 50));
  const inFlightAtSigterm = inFlight;
  const answeredBefore = results.length;
  child.kill('SIGTERM');
  const probes: number[] = [];
  while (!draining) {
    const probe = await request(new URL('/health/ready', gatewayUrl));
    await probe.body.dump();
    probes.push(probe.statusCode);
    if (probe.statusCode === 503) draining = true;
  }
  await load;
  const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running after 20 s'), 20_000).unref())]);

  expect(probes.at(-1)).toBe(503);
  expect(inFlightAtSigterm).toBeGreaterThan(0);
  expect(results.length).toBeGreaterThanOrEqual(answeredBefore + inFlightAtSigterm);
  const failed = results.filter((r) => r instanceof Error || r.status !== 200 || r.errors);
  expect(failed).toEqual([]);
  for (const result of results as GraphQLResponse[]) expect(result.data).toEqual(home.data);
  expect({ code, output: code === 0 ? '' : gateway.output() }).toEqual({ code: 0, output: '' });
});
