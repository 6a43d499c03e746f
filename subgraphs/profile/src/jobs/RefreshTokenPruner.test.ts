import type { RefreshTokenRepository } from '../repositories/RefreshTokenRepository';
import { RefreshTokenPruner } from './RefreshTokenPruner';

/** A repository whose prune deletes from a backlog, `limit` rows of each kind per call at most. */
function backlog(signIns: number, tokens: number) {
  const left = { signIns, tokens };
  const calls: number[] = [];
  const repository = {
    async prune(_now: Date, limit: number) {
      calls.push(limit);
      const deleted = { signIns: Math.min(limit, left.signIns), tokens: Math.min(limit, left.tokens) };
      left.signIns -= deleted.signIns;
      left.tokens -= deleted.tokens;
      return deleted;
    },
  } as unknown as RefreshTokenRepository;
  return { repository, left, calls };
}

describe('RefreshTokenPruner', () => {
  it('deletes in batches until a batch comes back short', async () => {
    const { repository, left, calls } = backlog(250, 120);
    await new RefreshTokenPruner(repository, { intervalMs: 60_000, batch: 100 }).runOnce();
    expect(calls).toEqual([100, 100, 100]);
    expect(left).toEqual({ signIns: 0, tokens: 0 });
  });

  it('stops after ten batches a run, however far behind it is, and catches up on later runs', async () => {
    const { repository, left, calls } = backlog(5_000, 0);
    const pruner = new RefreshTokenPruner(repository, { intervalMs: 60_000, batch: 100 });
    await pruner.runOnce();
    expect(calls).toHaveLength(10);
    expect(left.signIns).toBe(4_000);
    await pruner.runOnce();
    expect(left.signIns).toBe(3_000);
  });

  it('survives a failing store (the next run tries again)', async () => {
    const repository = { prune: async () => Promise.reject(new Error('connection terminated')) } as unknown as RefreshTokenRepository;
    await expect(new RefreshTokenPruner(repository, { intervalMs: 60_000, batch: 100 }).runOnce()).resolves.toBeUndefined();
  });
});
