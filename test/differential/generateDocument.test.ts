import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';
import { composeSupergraph } from '../../gateway/src/composeSupergraph';
import { demoIds } from './demoIds';
import { generateDocument } from './generateDocument';

const schema = Supergraph.build(composeSupergraph()).apiSchema().toGraphQLJSSchema();
const ids = demoIds(0.1, ['session-1', 'session-2']);
const documents = Array.from({ length: 300 }, (_, i) => generateDocument(schema, ids, 1, i));

test('generated documents are valid against the API schema', () => {
  const invalid = documents
    .map((d) => ({ id: d.id, errors: validate(schema, parse(d.query)).map((e) => e.message) }))
    .filter((d) => d.errors.length > 0);
  expect(invalid).toEqual([]);
});

test('a document depends on the seed and its index only', () => {
  expect(generateDocument(schema, ids, 1, 123)).toEqual(documents[123]);
  expect(generateDocument(schema, ids, 2, 123).query).not.toEqual(documents[123].query);
});

test('the corpus has what the executor must get right', () => {
  const all = documents.map((d) => d.query).join('\n');
  const count = (pattern: RegExp) => documents.filter((d) => pattern.test(d.query)).length;
  // Each feature in a fair share of documents, not once by luck.
  expect(count(/\ba\d+: /)).toBeGreaterThan(100); // aliases
  expect(count(/\ba\d+: (\w+)\(.*\ba\d+: \1\(/)).toBeGreaterThan(20); // the same field under two aliases with arguments
  for (const name of ['__proto__', 'toString', 'constructor']) expect(count(new RegExp(`[{\\s]${name}: \\w`))).toBeGreaterThan(50); // aliases a {} has
  expect(count(/^fragment /m)).toBeGreaterThan(30);
  expect(count(/\.\.\. on \w+/)).toBeGreaterThan(30);
  expect(count(/\.\.\. (@\w+\([^)]*\) )?\{/)).toBeGreaterThan(5); // inline fragments without a type condition
  expect(count(/@(skip|include)\(if: \$/)).toBeGreaterThan(50);
  expect(count(/@(skip|include)\(if: (true|false)\)/)).toBeGreaterThan(20);
  expect(count(/__typename/)).toBeGreaterThan(50);
  expect(count(/\$v\d+: [A-Za-z[\]!]+ = /)).toBeGreaterThan(20); // variables with defaults
  expect(documents.filter((d) => d.operationName === undefined).length).toBeGreaterThan(10);
  expect(documents.filter((d) => /\nquery Other/.test(d.query)).length).toBeGreaterThan(5);
  expect(documents.filter((d) => d.caller.kind === 'anonymous').length).toBeGreaterThan(10);
  expect(documents.filter((d) => Object.values(d.variables).includes(null)).length + count(/: null\b/)).toBeGreaterThan(5);
  // Every subgraph's types, and the fields that cross subgraphs, are reached.
  for (const field of ['homeRows', 'items', 'progress', 'similar', 'genres', 'seasons', 'episodes', 'profiles', 'activeSessions', 'playbackSession', 'search', 'continueWatching', 'myList', 'manifest']) {
    expect([field, all.includes(`${field}`)]).toEqual([field, true]);
  }
  for (const id of [...ids.ownProfiles.slice(0, 1), ids.otherProfiles[0], ids.missingProfiles[0], ids.missingTitles[0]]) {
    expect([id, documents.some((d) => d.query.includes(`"${id}"`) || JSON.stringify(d.variables).includes(`"${id}"`))]).toEqual([id, true]);
  }
});
