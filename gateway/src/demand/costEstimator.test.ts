import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getOperationAST, parse } from 'graphql';
import { DEFAULT_MAX_COST } from '../config';
import { compileCost } from './costEstimator';
import { costModelFromDocument, costModelFromSupergraph } from './costModel';

const supergraph = readFileSync(path.resolve(__dirname, '../../supergraph.graphql'), 'utf8');
const model = costModelFromSupergraph(supergraph);
const operations = path.resolve(__dirname, '../../../operations');
const options = { defaultListSize: 10 };

function cost(query: string, variables: Record<string, unknown> = {}, operationName?: string): number {
  const document = parse(query);
  const operation = getOperationAST(document, operationName);
  if (!operation) throw new Error('no operation');
  return compileCost(model, document, operation, options).evaluate(variables);
}

const homeScreen = readFileSync(path.join(operations, 'HomeScreen.graphql'), 'utf8');
const homeScreenMoreRows = readFileSync(path.join(operations, 'HomeScreenMoreRows.graphql'), 'utf8');
const rowMoreItems = readFileSync(path.join(operations, 'RowMoreItems.graphql'), 'utf8');

describe('cost estimator', () => {
  // Profile 1 + rows x (row 1 + itemsPerRow x (title 1 + artwork 1 + 5 genres + progress 1)).
  const homeCost = (rows: number, itemsPerRow: number) => 1 + rows * (1 + itemsPerRow * 8);

  it('sizes home rows by `first` and their items by the parent\'s `itemsPerRow`', () => {
    expect(cost(homeScreen, { profileId: 'p' })).toBe(homeCost(10, 20));
    expect(cost(homeScreen, { profileId: 'p', rows: 3, itemsPerRow: 7 })).toBe(homeCost(3, 7));
    expect(cost(homeScreen, { profileId: 'p', rows: 50, itemsPerRow: 100 })).toBe(homeCost(50, 100));
  });

  it('sets the default limit at the largest legitimate home screen: it passes, one more tile does not', () => {
    expect(cost(homeScreen, { profileId: 'p', rows: 50, itemsPerRow: 100 })).toBe(DEFAULT_MAX_COST);
    expect(cost(homeScreen, { profileId: 'p', rows: 50, itemsPerRow: 101 })).toBeGreaterThan(DEFAULT_MAX_COST);
  });

  it('prices a page of rows as HomeScreen prices its rows: cursors and page info add nothing', () => {
    expect(cost(homeScreenMoreRows, { profileId: 'p', after: 'cursor' })).toBe(homeCost(10, 20));
    expect(cost(homeScreenMoreRows, { profileId: 'p', rows: 3, itemsPerRow: 7 })).toBe(homeCost(3, 7));
    // The largest page is the largest home screen: the default limit lets it through.
    expect(cost(homeScreenMoreRows, { profileId: 'p', rows: 50, itemsPerRow: 100 })).toBe(DEFAULT_MAX_COST);
  });

  it("sizes a row's items by their own `first`, else by the parent homeRows' `itemsPerRow`, else 100", () => {
    // RowMoreItems: profile 1 + row 1 + first x (title 1 + artwork 1 + 5 genres + progress 1).
    expect(cost(rowMoreItems, { profileId: 'p', rowId: 'r', after: 'c' })).toBe(2 + 20 * 8);
    expect(cost(rowMoreItems, { profileId: 'p', rowId: 'r', after: 'c', first: 100 })).toBe(2 + 100 * 8);
    expect(cost('{ profile(id: "p") { homeRows(first: 2, itemsPerRow: 3) { items(first: 5) { id } } } }')).toBe(1 + 2 * (1 + 5));
    // A `first` left unset falls back to the parent's itemsPerRow, as the resolver does.
    expect(cost('query($n: Int) { profile(id: "p") { homeRows(first: 2, itemsPerRow: 3) { items(first: $n) { id } } } }')).toBe(1 + 2 * (1 + 3));
    expect(cost('query($n: Int) { profile(id: "p") { homeRows(first: 2, itemsPerRow: 3) { items(first: $n) { id } } } }', { n: 9 })).toBe(1 + 2 * (1 + 9));
    // One row by id, no size given anywhere: the most a row holds.
    expect(cost('{ profile(id: "p") { homeRow(id: "r") { items { id } } } }')).toBe(1 + 1 + 100);
  });

  it('uses inline arguments, variable defaults and schema defaults, in that order', () => {
    expect(cost('{ profile(id: "p") { homeRows(first: 2, itemsPerRow: 3) { items { id } } } }')).toBe(1 + 2 * (1 + 3));
    expect(cost('query($n: Int = 4) { profile(id: "p") { homeRows(first: $n, itemsPerRow: 1) { id } } }')).toBe(1 + 4);
    expect(cost('query($n: Int = 4) { profile(id: "p") { homeRows(first: $n, itemsPerRow: 1) { id } } }', { n: 6 })).toBe(1 + 6);
    // homeRows(first: Int = 10): the schema's default.
    expect(cost('{ profile(id: "p") { homeRows { id } } }')).toBe(1 + 10);
  });

  it('counts scalars as free, objects as 1, assumed sizes and @cost weights', () => {
    expect(cost('{ title(id: "t") { id name } }')).toBe(1);
    // seasons: assumed 10, episodes: assumed 25.
    expect(cost('{ title(id: "t") { seasons { episodes { id } } } }')).toBe(1 + 10 * (1 + 25));
    // similar: @cost(weight: 2), sized by first.
    expect(cost('{ title(id: "t") { similar(first: 7) { id } } }')).toBe(1 + 7 * 2);
    // search: @cost(weight: 5), first defaults to 20.
    expect(cost('{ profile(id: "p") { search(query: "x") { id } } }')).toBe(1 + 20 * 5);
  });

  it('adds the base cost of a mutation', () => {
    expect(cost('mutation { deleteProfile(id: "p") }')).toBe(10);
    expect(cost('mutation { addToMyList(profileId: "p", titleId: "t") { id } }')).toBe(10 + 1);
  });

  it('counts aliases and fragments (named and inline) as often as they are used', () => {
    const one = cost('{ title(id: "t") { similar(first: 50) { id } } }');
    expect(cost('{ a: title(id: "t") { similar(first: 50) { id } } b: title(id: "u") { similar(first: 50) { id } } }')).toBe(2 * one);
    expect(cost('{ title(id: "t") { ...F } } fragment F on Title { similar(first: 50) { id } }')).toBe(one);
    expect(cost('{ title(id: "t") { ... on Title { similar(first: 50) { id } } } }')).toBe(one);
    expect(cost('{ title(id: "t") { ...F ...F } } fragment F on Title { similar(first: 50) { id } }')).toBe(1 + 2 * 100);
  });

  it('prices the issue\'s 50 aliased maximal home screens with similar(first: 50) on every tile far above the limit', () => {
    const screen = (i: number) => `h${i}: profile(id: "p") { homeRows(first: 50, itemsPerRow: 100) { items { id similar(first: 50) { id } } } }`;
    const query = `{ ${Array.from({ length: 50 }, (_, i) => screen(i)).join(' ')} }`;
    expect(cost(query)).toBe(50 * (1 + 50 * (1 + 100 * (1 + 50 * 2))));
  });

  it('compiles a fragment explosion once per fragment, not once per path', () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ${i + 1 < levels ? `...F${i + 1} ...F${i + 1}` : 'genres { id }'} }`).join('\n');
    // 2^29 paths to genres: a per-path walk would not finish within the test's timeout.
    expect(cost(`{ ...F0 } ${fragments}`)).toBe(2 ** (levels - 1) * 40);
  });

  it('ignores __typename and reads type-level weights', () => {
    expect(cost('{ __typename title(id: "t") { __typename } }')).toBe(1);
    const custom = costModelFromDocument(parse('type Query { a: [A] @listSize(assumedSize: 3) } type A @cost(weight: 7) { x: Int }'));
    const document = parse('{ a { x } }');
    expect(compileCost(custom, document, getOperationAST(document)!, options).evaluate()).toBe(21);
  });

  it('uses the default list size for a list without @listSize, and sizedFields for connection-style children', () => {
    const custom = costModelFromDocument(parse(`
      type Query { plain: [A] page(first: Int): Page @listSize(slicingArguments: ["first"], sizedFields: ["items"]) }
      type Page { items: [A] }
      type A { x: Int }`));
    const plain = parse('{ plain { x } }');
    expect(compileCost(custom, plain, getOperationAST(plain)!, options).evaluate()).toBe(10);
    const page = parse('{ page(first: 4) { items { x } } }');
    expect(compileCost(custom, page, getOperationAST(page)!, options).evaluate()).toBe(1 + 4);
  });
});
