/**
 * Not a timing test: proves `npm run bench`'s plumbing still works end to end (subgraphs started
 * as processes on Postgres and Redis, all four gateways, both modes, every scenario, response
 * checks, counters, the replay of the gateway-only mode, the JSON and markdown output) with tiny
 * runs on a tiny dataset.
 * Needs the build, which `npm test` runs first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

describe('bench harness (quick plumbing, tiny duration)', () => {
  it('runs every gateway and scenario and reports without errors', () => {
    for (const f of ['gateway/dist/index.js', 'packages/platform/dist/index.js', 'subgraphs/profile/dist/index.js']) {
      if (!existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` before this test`);
    }
    const out = mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
    const prefix = `benchtest_${Date.now().toString(36)}`;
    try {
      // At the lowest CPU priority: the bench saturates both cores for two minutes, and jest runs
      // another test file beside it that must not pay for this one's load (none of them bounds
      // latency by the clock any more). Its own checks are about plumbing, not speed.
      const run = spawnSync('nice', ['-n', '19', process.execPath,
        path.join(root, 'bench/run.mjs'), '--quick', '--mode', 'both', '--duration', '0.5', '--warmup', '0.2', '--connections', '2',
        '--reps', '1', '--seed-scale', '0.02', '--warm-profiles', '4', '--db-prefix', prefix, '--drop-databases',
        '--out', out, '--no-pin',
      ], {
        cwd: root, encoding: 'utf8', timeout: 540_000,
        // Our gateway's entity cache keeps a title 30 s, and this run takes minutes under the rest
        // of the suite's load. A title that expires mid-run is fetched again, widened to the shape
        // most asked by then (EntityCachingDataSource's `widening`); if that shape is not the one
        // the replay recorded it with, the fetch is new to the replay, goes to the real subgraph
        // and fails the no-misses check below. That failed once in a fresh clone's `npm test`
        // (title-details, 1 miss in 27 requests) and did not come back in runs alone, even with a
        // 1 s TTL: the likeliest cause, not a proven one. This test checks the replay's plumbing,
        // not the cache's clock, so nothing expires here.
        env: { ...process.env, ENTITY_CACHE_TTL_SECONDS: '3600' },
      });
      const output = `${run.stdout}\n${run.stderr}`;
      // 3 = the run finished but some responses were errors; the cells say which (checked below).
      if (run.status !== 0 && run.status !== 3) throw new Error(`bench exited ${run.status}:\n${output.slice(-4000)}`);
      const files = readdirSync(out);
      const json = files.find((f) => f.endsWith('.json'));
      expect(json).toBeDefined();
      expect(files).toContain(json!.replace(/\.json$/, '.md'));
      const result = JSON.parse(readFileSync(path.join(out, json!), 'utf8'));
      const scenarios = ['home-10x20-cold', 'home-10x20-warm', 'home-40x48-warm', 'title-details', 'profile-picker'];
      if (!result.skipped['write-mix']) scenarios.push('write-mix');
      // Bytes on the wire per scenario, as the gateway sends them: a home screen, gzipped or in
      // Brotli, is well under half its size; compressing it took some CPU.
      const home = result.wireBytes.find((w: any) => w.scenario === 'home-10x20-warm');
      expect(home.gzipBytes).toBeLessThan(home.rawBytes / 2);
      expect(home.brBytes).toBeLessThan(home.rawBytes / 2);
      expect(home.brMicros).toBeGreaterThan(0);
      const gateways = ['ours', 'stock', 'hive', 'hive-router-runtime'];
      for (const gateway of gateways) {
        for (const scenario of scenarios) {
          const cell = result.cells.find((c: any) => c.mode === 'full-stack' && c.gateway === gateway && c.scenario === scenario);
          expect({ gateway, scenario, found: Boolean(cell) }).toEqual({ gateway, scenario, found: true });
          // The write mix still meets the plan's stream limit now and then on this tiny dataset
          // (see bench/README.md, known issues); its errors are reported, reads must have none.
          if (scenario !== 'write-mix') expect({ gateway, scenario, errors: cell.summary.errors, samples: cell.summary.errorSamples }).toEqual({ gateway, scenario, errors: 0, samples: {} });
          expect(cell.summary.requests + cell.reps[0].sent).toBeGreaterThan(0);
        }
        const sql = result.perGateway[gateway].sqlPerHomeScreen;
        expect(Object.keys(sql)).toEqual(['10x20', '40x48']);
        expect(result.perGateway[gateway].consistencyErrors).toEqual([]);
        // Gateway-only: the warm reads, every fetch answered by the replay from what it recorded
        // in the warm-up pass (none forwarded while measuring), and no work left for the subgraphs.
        for (const scenario of ['home-10x20-warm', 'home-40x48-warm', 'title-details', 'profile-picker']) {
          const cell = result.cells.find((c: any) => c.mode === 'gateway-only' && c.gateway === gateway && c.scenario === scenario);
          expect({ gateway, scenario, errors: cell?.summary.errors, samples: cell?.summary.errorSamples }).toEqual({ gateway, scenario, errors: 0, samples: {} });
          // A miss fails with what it was (the replay's description of each fetch it forwarded).
          expect({ gateway, scenario, misses: cell.summary.replayMissesPerRequest, missed: cell.summary.replayMissSamples, sql: cell.summary.sqlPerRequestTotal })
            .toEqual({ gateway, scenario, misses: 0, missed: [], sql: 0 });
          expect(cell.summary.subgraphFetchesPerRequest).toBeGreaterThan(0);
        }
      }
      expect(result.cells.filter((c: any) => c.mode === 'gateway-only' && ['home-10x20-cold', 'write-mix'].includes(c.scenario))).toEqual([]);
      // Counters reached the report: the subgraphs were fetched and read Redis.
      const warm = result.cells.find((c: any) => c.mode === 'full-stack' && c.gateway === 'ours' && c.scenario === 'profile-picker');
      expect(warm.summary.subgraphFetchesPerRequest).toBeGreaterThan(0);
      // The capacity model's inputs (npm run capacity): Redis commands from the bench's own
      // redis-server, CPU per subgraph process.
      expect(warm.summary.redisCommandsPerRequest).toBeGreaterThan(0);
      expect(Object.keys(warm.summary.subgraphCpuMsPerRequest).sort()).toEqual(['catalog', 'playback-session', 'profile', 'recommendation']);
      expect(output).toMatch(/req\/s \(min-max\)/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 560_000);
});
