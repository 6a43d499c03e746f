import { chooseEdge, GLOBAL_DEFAULT_EDGE } from './edges';

describe('chooseEdge', () => {
  it('serves a country with its own site from that site', () => {
    expect(chooseEdge('US')).toBe('us-east-1.oca.streaming.example');
    expect(chooseEdge('JP')).toBe('ap-northeast-1.oca.streaming.example');
    expect(chooseEdge('GB')).toBe('eu-west-2.oca.streaming.example');
  });

  it('has a site for each launch market', () => {
    const launch = ['US', 'GB', 'CA', 'DE', 'FR', 'BR', 'MX', 'IN', 'JP', 'KR', 'AU', 'ES'];

    const edges = launch.map(chooseEdge);

    expect(edges).not.toContain(GLOBAL_DEFAULT_EDGE);
    expect(new Set(edges).size).toBe(launch.length);
  });

  it('serves a country known only by its region from the region default', () => {
    expect(chooseEdge('AR')).toBe('sa-east-1.oca.streaming.example');
    expect(chooseEdge('NL')).toBe('eu-central-1.oca.streaming.example');
    expect(chooseEdge('NZ')).toBe('ap-southeast-1.oca.streaming.example');
    expect(chooseEdge('ZA')).toBe('me-central-1.oca.streaming.example');
  });

  it('falls back to the global edge for an unknown country', () => {
    expect(chooseEdge('ZZ')).toBe('global.oca.streaming.example');
    expect(chooseEdge('')).toBe(GLOBAL_DEFAULT_EDGE);
    expect(chooseEdge('constructor')).toBe(GLOBAL_DEFAULT_EDGE);
  });

  it('accepts lower case and stray whitespace', () => {
    expect(chooseEdge(' de ')).toBe('eu-central-1.oca.streaming.example');
  });
});
