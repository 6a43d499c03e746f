import { buildSchema, execute, parse } from 'graphql';
import { resolverDuration } from './metrics';
import { timeRootFields } from './timeRootFields';

const schema = buildSchema(`
  type Title { id: ID! name: String! }
  type Query { title(id: ID!): Title _entities(ids: [ID!]!): [Title]! broken: Title }
  type Mutation { rename(id: ID!): Title }
`);

let settle: (() => void)[] = [];
const title = (id: string) => ({ id, name: `Title ${id}` });
Object.assign(schema.getQueryType()!.getFields().title, { resolve: (_: unknown, { id }: { id: string }) => Promise.resolve(title(id)) });
// As @apollo/subgraph's _entities answers: a list with a promise per entity.
Object.assign(schema.getQueryType()!.getFields()._entities, {
  resolve: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => new Promise((resolve) => settle.push(() => resolve(title(id))))),
});
Object.assign(schema.getQueryType()!.getFields().broken, { resolve: () => { throw new Error('the store is down'); } });
Object.assign(schema.getMutationType()!.getFields().rename, { resolve: (_: unknown, { id }: { id: string }) => title(id) });
timeRootFields(schema, 'catalog');

async function timed(): Promise<Map<string, number>> {
  const { values } = await resolverDuration.get();
  return new Map(values.filter((v) => v.metricName?.endsWith('_count') && v.labels.subgraph === 'catalog').map((v) => [String(v.labels.field), v.value]));
}

beforeEach(() => resolverDuration.reset());

it('times each root field of queries and mutations once, and no field below them', async () => {
  const result = await execute({ schema, document: parse('{ a: title(id: "1") { id name } b: title(id: "2") { name } }') });
  expect(result).toEqual({ data: { a: { id: '1', name: 'Title 1' }, b: { name: 'Title 2' } } });
  await execute({ schema, document: parse('mutation { rename(id: "3") { name } }') });
  expect(Object.fromEntries(await timed())).toEqual({ 'Query.title': 2, 'Mutation.rename': 1 });
});

it("times _entities until every entity in its list has resolved", async () => {
  settle = [];
  const answer = execute({ schema, document: parse('{ _entities(ids: ["1", "2"]) { name } }') });
  await new Promise((resolve) => setImmediate(resolve));
  expect((await timed()).get('Query._entities')).toBeUndefined();
  settle[0]();
  await new Promise((resolve) => setImmediate(resolve));
  expect((await timed()).get('Query._entities')).toBeUndefined();
  settle[1]();
  expect(await answer).toEqual({ data: { _entities: [{ name: 'Title 1' }, { name: 'Title 2' }] } });
  expect((await timed()).get('Query._entities')).toBe(1);
});

it('times a root field that throws, and the error still reaches the client', async () => {
  const result = await execute({ schema, document: parse('{ broken { id } }') });
  expect(result.errors?.map((e) => e.message)).toEqual(['the store is down']);
  expect((await timed()).get('Query.broken')).toBe(1);
});
