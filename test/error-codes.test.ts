import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '@streaming/platform';

/**
 * The README's error-code table is what client developers read; the registry is what the code
 * throws. They must name the same codes, so a code added to one and not the other fails here.
 */
describe('the README error-code table', () => {
  const readme = readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');
  const start = readme.indexOf('### Error codes');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);

  it('is found', () => {
    expect(readme).toContain('### Error codes');
    expect(documented.length).toBeGreaterThan(0);
  });

  it('lists every registered code exactly once, and nothing else', () => {
    expect([...documented].sort()).toEqual(Object.values(ErrorCode).sort());
  });
});
