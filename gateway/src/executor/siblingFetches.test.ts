import type { FetchNode, ParallelNode, PlanNode } from '@apollo/query-planner';
import { combinedFetch, siblingBatches, splitResponse } from './siblingFetches';

const requires = [{ kind: 'InlineFragment', typeCondition: 'Title', selections: [{ kind: 'Field', name: '__typename' }, { kind: 'Field', name: 'id' }] }];

function entityFetch(serviceName: string, operation: string, variableUsages: string[] = ['profileId']): FetchNode {
  return { kind: 'Fetch', serviceName, operation, operationName: operation.match(/^query (\w+)/)?.[1], operationKind: 'query', variableUsages, requires } as unknown as FetchNode;
}
const flatten = (path: string[], node: FetchNode): PlanNode => ({ kind: 'Flatten', path, node }) as PlanNode;
const parallel = (...nodes: PlanNode[]): ParallelNode => ({ kind: 'Parallel', nodes });

const titleProgress = entityFetch('playback', 'query Op__playback__1($representations:[_Any!]!$profileId:ID!){_entities(representations:$representations){...on Title{progress(profileId:$profileId){positionSeconds}}}}');
const episodeProgress = entityFetch('playback', 'query Op__playback__2($representations:[_Any!]!$profileId:ID!){_entities(representations:$representations){...P}}fragment P on Episode{progress(profileId:$profileId){completed}}');
const names = entityFetch('catalog', 'query Op__catalog__3($representations:[_Any!]!){_entities(representations:$representations){...on Title{name}}}', []);

describe('sibling fetches', () => {
  it("groups a Parallel node's entity fetches by subgraph, leaving a subgraph's lone fetch alone", () => {
    const batches = siblingBatches(parallel(flatten(['title'], titleProgress), flatten(['title', 'similar', '@'], names), flatten(['title', 'seasons', '@', 'episodes', '@'], episodeProgress)));
    expect(batches.map((b) => [b.serviceName, b.members.map((m) => m.path.join('.'))])).toEqual([['playback', ['title', 'title.seasons.@.episodes.@']]]);
  });

  it('combines them into one operation: aliased fields, their own representation variables, the shared ones once, fragments renamed apart', () => {
    const [batch] = siblingBatches(parallel(flatten(['title'], titleProgress), flatten(['title', 'seasons', '@', 'episodes', '@'], episodeProgress)));
    const combined = combinedFetch(batch, [0, 1])!;
    expect(combined.operation).toBe(
      'query Op__playback__1($representations_0:[_Any!]!$profileId:ID!$representations_1:[_Any!]!)'
      + '{_0:_entities(representations:$representations_0){...on Title{progress(profileId:$profileId){positionSeconds}}}'
      + '_1:_entities(representations:$representations_1){...P_1}}fragment P_1 on Episode{progress(profileId:$profileId){completed}}',
    );
    expect(combined.representationVariables).toEqual(['representations_0', 'representations_1']);
    expect(combinedFetch(batch, [0, 1])).toBe(combined);
  });

  it("sends them apart when a client's variable has one of the combined operation's names", () => {
    const clash = entityFetch('playback', 'query Op__playback__4($representations:[_Any!]!$representations_1:ID!){_entities(representations:$representations){...on Title{progress(profileId:$representations_1){completed}}}}', ['representations_1']);
    const [batch] = siblingBatches(parallel(flatten(['a'], titleProgress), flatten(['b'], clash)));
    expect(combinedFetch(batch, [0, 1])).toBeNull();
  });

  describe('splitting the answer', () => {
    const [batch] = siblingBatches(parallel(flatten(['title'], titleProgress), flatten(['title', 'seasons', '@', 'episodes', '@'], episodeProgress)));
    const combined = combinedFetch(batch, [0, 1])!;

    it('gives each fetch its field as `_entities`, and the errors about it with their paths on `_entities`', () => {
      const error = { message: 'no progress', path: ['_1', 2, 'progress'], extensions: { code: 'X' } };
      expect(splitResponse({ data: { _0: [{ progress: null }], _1: [{}, {}, { progress: null }] }, errors: [error] }, combined)).toEqual([
        { data: { _entities: [{ progress: null }] }, extensions: undefined },
        { data: { _entities: [{}, {}, { progress: null }] }, errors: [{ ...error, path: ['_entities', 2, 'progress'] }], extensions: undefined },
      ]);
    });

    it('gives a whole failure (no data, no error with a path) to each, as each request alone would have failed', () => {
      const errors = [{ message: '503: Service Unavailable' }];
      expect(splitResponse({ errors }, combined)).toEqual([{ data: undefined, errors, extensions: undefined }, { data: undefined, errors, extensions: undefined }]);
    });

    it("can't tell whose an error naming no field is, nor split data a non-null field nulled: then they are asked apart", () => {
      expect(splitResponse({ data: { _0: [], _1: [] }, errors: [{ message: 'somewhere' }] }, combined)).toBeUndefined();
      expect(splitResponse({ data: null, errors: [{ message: 'non-null', path: ['_1'] }] }, combined)).toBeUndefined();
      expect(splitResponse({ data: { _0: [] } }, combined)).toBeUndefined();
    });
  });
});
