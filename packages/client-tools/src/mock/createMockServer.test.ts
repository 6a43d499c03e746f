import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { composeSubgraphs, subgraphsOnDisk } from '@streaming/gateway/dist/composeSupergraph';
import { ARGUMENT_SIZED_CHILDREN } from '@streaming/gateway/dist/demand/costEstimator';
import { costModelFromSupergraph } from '@streaming/gateway/dist/demand/costModel';
import { listen, type HttpListener } from '@streaming/platform';
import {
  getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, Kind, parse, typeFromAST,
  type FieldNode, type GraphQLInputType, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { createMockServer, type MockServer } from './createMockServer';

/**
 * Every operation in operations/ (whatever is there: new ones are picked up by file) runs against
 * the mock over HTTP, as a UI team's client would send it: no errors, every list as long as its
 * slicing argument asked (`@listSize` in the supergraph, and a row's `items` by `itemsPerRow`).
 */
const OPERATIONS_DIR = path.resolve(__dirname, '../../../../operations');
const operations = readdirSync(OPERATIONS_DIR).filter((f) => f.endsWith('.graphql')).map((f) => ({ name: path.basename(f, '.graphql'), text: readFileSync(path.join(OPERATIONS_DIR, f), 'utf8') }));
const { supergraphSdl, apiSchema } = composeSubgraphs(subgraphsOnDisk());
const costs = costModelFromSupergraph(supergraphSdl);

let mock: MockServer;
let http: HttpListener;
let url: string;
beforeAll(async () => {
  mock = await createMockServer({ publicUrl: 'http://mock.test', seed: 7 });
  http = await listen(mock.app, { port: 0, host: '127.0.0.1' });
  url = `${http.url}graphql`;
});
afterAll(async () => {
  await http.close(1_000);
  await mock.stop();
});

async function post(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
}

/** Values a screen would send, by variable name first, then by type: works for operations added later. */
const BY_NAME: Record<string, unknown> = {
  profileId: 'demo-premium-1', accountId: 'demo-premium', titleId: 't-00002', id: 't-00002', sessionId: 'session-1', query: 'star',
  email: 'demo-premium@example.com', password: 'streaming-demo', refreshToken: 'mock-refresh', deviceId: 'web-1', positionSeconds: 120,
  rows: 3, itemsPerRow: 7, first: 4, name: 'Guest',
};

function sample(type: GraphQLInputType, name: string): unknown {
  if (name in BY_NAME) return BY_NAME[name];
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [sample(nullable.ofType, name), sample(nullable.ofType, name)];
  if (isEnumType(nullable)) return nullable.getValues()[0].value;
  if (isInputObjectType(nullable)) {
    return Object.fromEntries(Object.values(nullable.getFields()).filter((f) => isNonNullType(f.type) || f.name in BY_NAME).map((f) => [f.name, sample(f.type, f.name)]));
  }
  return ({ ID: 'mock-1', String: 'text', Int: 5, Float: 1.5, Boolean: true } as Record<string, unknown>)[nullable.name] ?? 'text';
}

function variablesFor(operation: OperationDefinitionNode, schema: GraphQLSchema): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.defaultValue && !(name in BY_NAME)) continue;
    variables[name] = sample(typeFromAST(schema, definition.type as never) as GraphQLInputType, name);
  }
  return variables;
}

/** Every list whose size the operation asked for, with the size asked and the size answered. */
function listSizes(
  schema: GraphQLSchema, parent: GraphQLObjectType, selection: SelectionSetNode, data: unknown, variables: Record<string, unknown>,
  passed: Record<string, number>, out: Array<{ at: string; asked: number; got: number }>, at: string,
): void {
  if (data === null || data === undefined) return;
  if (Array.isArray(data)) return data.forEach((item, i) => listSizes(schema, parent, selection, item, variables, passed, out, `${at}[${i}]`));
  for (const node of selection.selections) {
    if (node.kind !== Kind.FIELD) continue;
    const field = parent.getFields()[(node as FieldNode).name.value];
    if (!field) continue;
    const key = node.alias?.value ?? node.name.value;
    const value = (data as Record<string, unknown>)[key];
    const args = getArgumentValues(field, node, variables);
    const listSize = costs.types.get(parent.name)?.fields.get(field.name)?.listSize;
    const sliced = (listSize?.slicingArguments ?? []).map((a) => args[a]).filter((v): v is number => typeof v === 'number');
    const asked = sliced.length > 0 ? Math.max(...sliced) : passed[field.name];
    if (asked !== undefined && Array.isArray(value)) out.push({ at: `${at}.${key}`, asked, got: value.length });
    const childPassed = Object.fromEntries(Object.entries(ARGUMENT_SIZED_CHILDREN[`${parent.name}.${field.name}`] ?? {}).map(([child, arg]) => [child, args[arg] as number]));
    const named = getNamedType(field.type);
    if (node.selectionSet && isObjectType(named)) listSizes(schema, named, node.selectionSet, value, variables, childPassed, out, `${at}.${key}`);
  }
}

it.each(operations.map((o) => [o.name, o.text]))('%s answers without errors, every list the size it asked for', async (_name, text) => {
  const document = parse(text);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const variables = variablesFor(operation, apiSchema);
  const { status, body } = await post(text, variables);
  expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
  const root = operation.operation === 'mutation' ? apiSchema.getMutationType()! : apiSchema.getQueryType()!;
  const sizes: Array<{ at: string; asked: number; got: number }> = [];
  listSizes(apiSchema, root, operation.selectionSet, body.data, variables, {}, sizes, operation.name?.value ?? 'operation');
  expect(sizes.filter((s) => s.got !== s.asked)).toEqual([]);
  // An operation with a slicing argument had its lists measured (the check above isn't vacuous).
  if (/\b(first|itemsPerRow)\b/.test(text)) expect(sizes.length).toBeGreaterThan(0);
});

it('honours the home screen\'s rows and items per row, defaults included, with plausible tiles', async () => {
  const homeScreen = operations.find((o) => o.name === 'HomeScreen')!.text;
  const { body } = await post(homeScreen, { profileId: 'demo-premium-1' });
  const rows = (body.data!.profile as { homeRows: Array<{ kind: string; title: string; items: Array<Record<string, any>> }> }).homeRows;
  expect(rows).toHaveLength(10);
  expect(rows.every((r) => r.items.length === 20)).toBe(true);
  expect(rows.slice(0, 3).map((r) => [r.kind, r.title])).toEqual([['CONTINUE_WATCHING', 'Continue Watching'], ['MY_LIST', 'My List'], ['TRENDING', 'Trending Now']]);
  const tile = rows[0].items[0];
  expect(tile.name).toMatch(/^[A-Z][a-z]+( [A-Za-z]+)+$/);
  expect(tile.artwork).toEqual({ url: `http://mock.test/mock/artwork/${tile.id}.svg?type=BOXART&w=341&h=192`, width: 341, height: 192 });
  expect(tile.progress.positionSeconds).toBeLessThanOrEqual(tile.progress.durationSeconds);
  expect(new Set(rows[0].items.map((t) => t.id)).size).toBe(20);
  expect(['ALL', 'SEVEN_PLUS', 'THIRTEEN_PLUS', 'SIXTEEN_PLUS', 'EIGHTEEN_PLUS']).toContain(tile.maturityRating);
});

it('is deterministic: a fresh server with the same seed answers byte for byte the same', async () => {
  const homeScreen = operations.find((o) => o.name === 'HomeScreen')!.text;
  const first = await post(homeScreen, { profileId: 'demo-premium-kids', rows: 4, itemsPerRow: 5 });
  const again = await createMockServer({ publicUrl: 'http://mock.test', seed: 7 });
  const listener = await listen(again.app, { port: 0, host: '127.0.0.1' });
  try {
    // A different request first: values don't depend on the order requests arrive in.
    await fetch(`${listener.url}graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ genres { id name } }' }) });
    const response = await fetch(`${listener.url}graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: homeScreen, variables: { profileId: 'demo-premium-kids', rows: 4, itemsPerRow: 5 } }) });
    expect(await response.json()).toEqual(first.body);
  } finally {
    await listener.close(1_000);
    await again.stop();
  }
});

it('serves the artwork it links to as an image a browser can show', async () => {
  const response = await fetch(`${http.url}mock/artwork/t-00042.svg?type=BOXART&w=341&h=192`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  const svg = await response.text();
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="341" height="192"/);
  const { body } = await post('{ title(id: "t-00042") { name } }');
  expect(svg).toContain(`>${(body.data!.title as { name: string }).name}</text>`);
});

it('echoes what a mutation sent, and what it changed is what later queries see', async () => {
  const update = await post('mutation { updateProfile(id: "demo-premium-3", input: { name: "Guest" }) { id name } }');
  expect(update.body).toEqual({ data: { updateProfile: { id: 'demo-premium-3', name: 'Guest' } } });
  expect((await post('{ profile(id: "demo-premium-3") { name } }')).body).toEqual({ data: { profile: { name: 'Guest' } } });
  const started = await post('mutation { startPlayback(input: { profileId: "demo-premium-1", titleId: "t-00002", deviceId: "tv-1" }) { id state deviceId title { id } } }');
  const session = started.body.data!.startPlayback as { id: string };
  expect(started.body.data!.startPlayback).toEqual({ id: session.id, state: 'PLAYING', deviceId: 'tv-1', title: { id: 't-00002' } });
  const stopped = await post(`mutation { stopPlayback(sessionId: "${session.id}", positionSeconds: 30) { id state positionSeconds } }`);
  expect(stopped.body).toEqual({ data: { stopPlayback: { id: session.id, state: 'ENDED', positionSeconds: 30 } } });
});

it('answers on the gateway\'s paths with CORS open for a local dev server, and errors in the GraphQL shape', async () => {
  const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  const atRoot = await fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ genres { id } }' }) });
  expect(atRoot.status).toBe(200);
  const bad = await post('{ title(id: "t-1") { noSuchField } }');
  expect(bad.status).toBe(400);
  expect(bad.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
});
