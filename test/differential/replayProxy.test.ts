import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SubgraphName } from '@streaming/platform';
import { parse, valueFromASTUntyped, type FieldNode, type InlineFragmentNode, type OperationDefinitionNode } from 'graphql';
import { request } from 'undici';
import { FaultPlan } from './faults';
import { ReplayProxy, requestTag } from './replayProxy';

/**
 * The replay proxy must not itself make executors differ: an executor that deduplicates
 * representations and sends sibling fetches as one aliased operation has to get, entity for
 * entity, the answers and the faults stock gets, whichever asks first. A fake subgraph stands
 * in for the real ones (this tests the proxy alone).
 */
let upstream: Server;
let upstreamUrl: string;
let upstreamRequests = 0;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => { text += c; });
    req.on('end', () => {
      upstreamRequests += 1;
      const body = JSON.parse(text) as { query: string; variables: Record<string, unknown> };
      const operation = parse(body.query).definitions[0] as OperationDefinitionNode;
      const data: Record<string, unknown> = {};
      const errors: unknown[] = [];
      for (const field of operation.selectionSet.selections as FieldNode[]) {
        const key = field.alias?.value ?? field.name.value;
        const reps = valueFromASTUntyped(field.arguments![0].value, body.variables) as Array<{ id: string }>;
        const wanted = ((field.selectionSet!.selections[0] as InlineFragmentNode).selectionSet.selections as FieldNode[]).map((f) => f.name.value);
        data[key] = reps.map((rep, i) => {
          if (rep.id === 'missing') {
            errors.push({ message: `no title ${rep.id}`, path: [key, i], extensions: { code: 'NOT_FOUND' } });
            return null;
          }
          return Object.fromEntries(wanted.map((f) => [f, f === '__typename' ? 'Title' : `${f} of ${rep.id}`]));
        });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data, ...(errors.length ? { errors } : {}) }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => upstream.close(resolve));
});

const t = (id: string) => ({ __typename: 'Title', id });
const STOCK_NAMES = {
  query: 'query Q__catalog__1($representations:[_Any!]!){_entities(representations:$representations){...on Title{__typename name}}}',
  variables: { representations: [t('t1'), t('t2'), t('t1'), t('missing')] },
};
const STOCK_KINDS = {
  query: 'query Q__catalog__2($representations:[_Any!]!){_entities(representations:$representations){...on Title{__typename kind}}}',
  variables: { representations: [t('t3')] },
};
/** Both fetches as one operation, representations deduplicated, variables renamed. */
const BATCHED = {
  query: 'query Batch($r0:[_Any!]!,$r1:[_Any!]!){e0:_entities(representations:$r0){...on Title{__typename name}} e1:_entities(representations:$r1){...on Title{__typename kind}}}',
  variables: { r0: [t('t1'), t('t2'), t('missing')], r1: [t('t3')] },
};

interface Answer { data: Record<string, unknown[]> | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: unknown }> }

async function ask(proxy: ReplayProxy, body: object, document: string): Promise<Answer> {
  const response = await request(proxy.urls.catalog, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestTag(document, 'test', 1) }, body: JSON.stringify(body),
  });
  return (await response.body.json()) as Answer;
}

/** One entity's answer: its value and its errors, with paths relative to it. */
function entity(answer: Answer, key: string, index: number) {
  return {
    value: answer.data?.[key]?.[index],
    errors: (answer.errors ?? []).filter((e) => e.path?.[0] === key && e.path[1] === index).map((e) => ({ ...e, path: e.path!.slice(2) })),
  };
}

async function withProxy<T>(faults: FaultPlan, run: (proxy: ReplayProxy) => Promise<T>, holdMs = 100): Promise<T> {
  const proxy = new ReplayProxy({ realUrls: { catalog: upstreamUrl } as Record<SubgraphName, string>, faults, holdMs });
  await proxy.start();
  try {
    return await run(proxy);
  } finally {
    await proxy.stop();
  }
}

test.each([
  ['without faults', new FaultPlan({ seed: 1, faultyDocuments: 0 })],
  ['with half the entities broken', new FaultPlan({ seed: 1, faultyDocuments: 1, requestRate: 0, itemRate: [0.5, 0.5] })],
])('a batched, deduplicated request gets entity for entity what separate fetches get, %s, whichever asks first', async (_, faults) => {
  for (const document of ['doc-1', 'doc-2', 'doc-3']) {
    const stockFirst = await withProxy(faults, async (proxy) => {
      const before = upstreamRequests;
      const names = await ask(proxy, STOCK_NAMES, document);
      const kinds = await ask(proxy, STOCK_KINDS, document);
      const batched = await ask(proxy, BATCHED, document);
      // Each item went to the subgraph once: the batched request was answered from the record.
      expect(upstreamRequests - before).toBe(2);
      return { names, kinds, batched };
    });
    const batchedFirst = await withProxy(faults, async (proxy) => {
      const batched = await ask(proxy, BATCHED, document);
      return { batched, names: await ask(proxy, STOCK_NAMES, document), kinds: await ask(proxy, STOCK_KINDS, document) };
    });
    for (const run of [stockFirst, batchedFirst]) {
      // Stock sent t1 twice: both occurrences get the same answer.
      expect(entity(run.names, '_entities', 2)).toEqual(entity(run.names, '_entities', 0));
      expect(entity(run.batched, 'e0', 0)).toEqual(entity(stockFirst.names, '_entities', 0));
      expect(entity(run.batched, 'e0', 1)).toEqual(entity(stockFirst.names, '_entities', 1));
      expect(entity(run.batched, 'e0', 2)).toEqual(entity(stockFirst.names, '_entities', 3));
      expect(entity(run.batched, 'e1', 0)).toEqual(entity(stockFirst.kinds, '_entities', 0));
      expect(entity(run.names, '_entities', 1)).toEqual(entity(stockFirst.names, '_entities', 1));
    }
  }
});

test('faults are injected where the plan says, and only there', async () => {
  await withProxy(new FaultPlan({ seed: 1, faultyDocuments: 1, requestRate: 0, itemRate: [1, 1] }), async (proxy) => {
    const faulty = await ask(proxy, STOCK_NAMES, 'doc-1');
    const clean = await ask(proxy, STOCK_NAMES, 'clean-doc-1');
    expect(clean.data!._entities[0]).toEqual({ __typename: 'Title', name: 'name of t1' });
    expect(clean.errors).toEqual([{ message: 'no title missing', path: ['_entities', 3], extensions: { code: 'NOT_FOUND' } }]);
    // Every entity broken one way or another: not the clean answer, or an injected error about it.
    const injected = (faulty.errors ?? []).filter((e) => e.message.startsWith('Injected'));
    for (const index of [0, 1, 2]) {
      const changed = JSON.stringify(faulty.data?._entities[index]) !== JSON.stringify(clean.data!._entities[index]);
      expect(changed || injected.length > 0).toBe(true);
    }
  });
  await withProxy(new FaultPlan({ seed: 1, faultyDocuments: 1, requestRate: 1 }), async (proxy) => {
    const kinds = new Set<string>();
    for (let i = 0; i < 60 && kinds.size < 6; i += 1) {
      const response = await request(proxy.urls.catalog, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestTag(`doc-${i}`, 'test', 1) },
        body: JSON.stringify(STOCK_KINDS), headersTimeout: 300,
      }).then(async (r) => `${r.statusCode} ${(await r.body.text()).slice(0, 12)}`, (err: Error) => (err.name === 'HeadersTimeoutError' ? 'held' : 'reset'));
      kinds.add(response.replace(/^200 \{"data":null.*/, 'errors-only').replace(/^200 <html.*/, 'bad-json').replace(/^(500|503) .*/, '$1'));
    }
    expect([...kinds].sort()).toEqual(['500', '503', 'bad-json', 'errors-only', 'held', 'reset']);
  }, 10_000);
});
