import { buildSchema, parse } from 'graphql';
import { fieldsOf } from './fieldUsage';
import { BoundedLabel, OTHER, UNKNOWN } from './labels';

describe('BoundedLabel', () => {
  it('keeps the first names, then groups the rest under one label', () => {
    const label = new BoundedLabel(2);
    expect([label.of('HomeScreen'), label.of('Search'), label.of('Third'), label.of('HomeScreen')]).toEqual(['HomeScreen', 'Search', OTHER, 'HomeScreen']);
  });

  it('groups missing names and names that are not names', () => {
    const label = new BoundedLabel(10);
    expect([label.of(undefined), label.of(''), label.of('a"b'), label.of('x'.repeat(65))]).toEqual([UNKNOWN, UNKNOWN, OTHER, OTHER]);
    expect(label.of('ok')).toBe('ok');
  });
});

describe('fieldsOf', () => {
  const schema = buildSchema(`
    type Query { profile(id: ID!): Profile, search(text: String!): [Title!]! }
    type Profile { id: ID!, name: String!, list: [Title!]! }
    type Title { id: ID!, name: String! }
  `);

  it('lists each schema field once, through fragments, without __typename', () => {
    const document = parse(`
      query Q { profile(id: "1") { id ...P list { __typename id } } search(text: "x") { id name } }
      fragment P on Profile { name list { name } }
    `);
    expect(fieldsOf(schema, document).map(([t, f]) => `${t}.${f}`).sort()).toEqual([
      'Profile.id', 'Profile.list', 'Profile.name', 'Query.profile', 'Query.search', 'Title.id', 'Title.name',
    ]);
  });
});
