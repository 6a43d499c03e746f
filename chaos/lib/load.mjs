// The steady mixed load: a few virtual users (undici, keep-alive) that each loop over one kind of
// work: HomeScreen for many profiles, TitleDetails, and playback (start, heartbeats, stop). Every
// response is recorded with its send time, latency and class; every session with its final position.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import { ROOT } from '../../bench/lib/system.mjs';
import { sleep } from './stack.mjs';

/** The registered text of each operation (what the gateway's trusted-documents list holds). */
export function loadOperations() {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'gateway/persisted-query-manifest.json'), 'utf8'));
  const ops = Object.fromEntries(manifest.operations.map((o) => [o.name, o.body]));
  for (const name of ['HomeScreen', 'TitleDetails', 'StartPlayback', 'Heartbeat', 'StopPlayback']) {
    if (!ops[name]) throw new Error(`operation ${name} is not in gateway/persisted-query-manifest.json`);
  }
  return ops;
}

/** Queries: a client may send them again after a broken connection (mutations it may not). */
export const IDEMPOTENT = new Set(['HomeScreen', 'TitleDetails']);
const ROOT_FIELD = { HomeScreen: 'profile', TitleDetails: 'title', StartPlayback: 'startPlayback', Heartbeat: 'heartbeat', StopPlayback: 'stopPlayback' };
export const STREAM_LIMITS = { BASIC: 1, STANDARD: 2, PREMIUM: 4 };

/**
 * complete: HTTP 200, no errors, no `extensions.degraded`, the screen's main object present.
 * degraded: the main object present, with errors or `extensions.degraded` (the screen renders).
 * refused:  startPlayback answered CONCURRENT_STREAM_LIMIT (a correct refusal, not a failure).
 * failed:   anything else (non-200, unparseable, main object null, transport error).
 */
export function classify(op, status, json) {
  const errors = Array.isArray(json?.errors) ? json.errors : [];
  const codes = [...new Set(errors.map((e) => e?.extensions?.code ?? 'NO_CODE'))];
  const main = json?.data?.[ROOT_FIELD[op]] ?? null;
  const degradedFlag = Array.isArray(json?.extensions?.degraded) && json.extensions.degraded.length > 0;
  let cls;
  if (status !== 200 || !json) cls = 'failed';
  else if (op === 'StartPlayback' && !main && codes.includes('CONCURRENT_STREAM_LIMIT')) cls = 'refused';
  else if (!main) cls = 'failed';
  else if (errors.length || degradedFlag) cls = 'degraded';
  else cls = 'complete';
  const out = { cls, codes, degradedBy: degradedFlag ? json.extensions.degraded : undefined };
  if (op === 'HomeScreen') out.rows = Array.isArray(main?.homeRows) && main.homeRows.length > 0;
  return out;
}

export class Load {
  /**
   * @param {boolean} [o.retryIdempotent] send a query once more after a transport error, as a
   *   client's retry link does (replicas mode: the balancer then picks a live gateway)
   */
  constructor({ stack, auth, dataset, ops, vus, log, warmProfiles = 100, coldEvery = 10, thinkMs = 100, retryIdempotent = false }) {
    Object.assign(this, { stack, auth, dataset, ops, vus, log, thinkMs, coldEvery, retryIdempotent });
    this.retried = []; // { op, t, transport } of first attempts a retry replaced
    this.agent = new Agent({ connections: 32, keepAliveTimeout: 10_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
    this.records = [];
    this.sessions = [];
    this.running = false;
    this.tasks = [];
    this.warm = new Set(); // profiles with a complete home screen from the current gateway process
    this.marks = []; // { at, what } e.g. redis lost: every session started before is uncertain
    const accountOf = new Map(dataset.profiles.map((p) => [p.id, p.accountId]));
    this.accountOf = accountOf;
    this.planOf = new Map(dataset.accounts.map((a) => [a.id, a.planTier]));
    // Profiles interleaved by account, so neighbouring requests belong to different accounts.
    const byAccount = new Map();
    for (const p of dataset.profiles) (byAccount.get(p.accountId) ?? byAccount.set(p.accountId, []).get(p.accountId)).push(p);
    const interleaved = [];
    for (let k = 0; k < 5; k += 1) for (const list of byAccount.values()) if (list[k]) interleaved.push(list[k].id);
    this.warmPool = interleaved.slice(0, warmProfiles);
    this.coldPool = interleaved.slice(warmProfiles);
    this.coldNext = 0;
    const series = dataset.titles.filter((t) => t.kind === 'SERIES' && t.seasons.length > 0).map((t) => t.id);
    this.titlePairs = this.warmPool.map((profileId, i) => ({ id: series[(i * 7) % series.length], profileId }));
    // Playback: movies each rating may watch; two starts in three go to one BASIC and one STANDARD
    // account, so that streams contend for the plan's limit (refusals are expected there).
    const order = ['ALL', 'SEVEN_PLUS', 'THIRTEEN_PLUS', 'SIXTEEN_PLUS', 'EIGHTEEN_PLUS'];
    const movies = dataset.titles.filter((t) => t.kind === 'MOVIE');
    this.moviesFor = Object.fromEntries(order.map((r, i) => [r, movies.filter((t) => order.indexOf(t.maturityRating) <= i).map((t) => t.id)]));
    this.ratingOf = new Map(dataset.profiles.map((p) => [p.id, p.maturityRating]));
    const small = dataset.accounts.filter((a) => a.planTier !== 'PREMIUM' && (byAccount.get(a.id)?.length ?? 0) >= 2);
    this.contended = [small.find((a) => a.planTier === 'BASIC'), small.find((a) => a.planTier === 'STANDARD')]
      .filter(Boolean).flatMap((a) => byAccount.get(a.id).map((p) => p.id));
    this.anyProfiles = interleaved;
    this.usedPairs = new Set();
    this.pick = 0;
  }

  async send(op, variables, accountId, vu, retry = this.retryIdempotent && IDEMPOTENT.has(op), firstSentAt = undefined) {
    const body = JSON.stringify({ query: this.ops[op], variables, operationName: op });
    const t = Date.now();
    let status = 0;
    let json;
    let transport;
    try {
      const res = await request(this.stack.gatewayUrl, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', ...this.auth.headers({ accountId }) },
        body,
      });
      status = res.statusCode;
      const text = await res.body.text();
      try { json = JSON.parse(text); } catch { json = undefined; }
    } catch (err) {
      transport = err.code ?? err.name ?? 'error';
    }
    if (transport && retry) {
      this.retried.push({ op, t, transport });
      return this.send(op, variables, accountId, vu, false, t);
    }
    // A retried request is one request to the user: timed and filed from its first attempt.
    const ms = Date.now() - (firstSentAt ?? t);
    const c = classify(op, status, json);
    if (transport) c.codes = [`transport:${transport}`];
    const rec = { op, t: firstSentAt ?? t, ms, status, vu, ...c, ...(firstSentAt !== undefined && { retried: true }) };
    if (op === 'HomeScreen') rec.warm = this.warm.has(variables.profileId);
    this.records.push(rec);
    return { ...rec, json, sentAt: rec.t, doneAt: rec.t + ms };
  }

  // ------------------------------------------------------------------ virtual users
  async homeVu(vu) {
    let i = vu * 17;
    let n = 0;
    while (this.running) {
      n += 1;
      let profileId;
      if (this.coldEvery > 0 && n % this.coldEvery === 0 && this.coldNext < this.coldPool.length) profileId = this.coldPool[this.coldNext++];
      else profileId = this.warmPool[i++ % this.warmPool.length];
      const r = await this.send('HomeScreen', { profileId }, this.accountOf.get(profileId), vu);
      if (r.cls === 'complete') this.warm.add(profileId);
      await sleep(this.thinkMs);
    }
  }

  async titleVu(vu) {
    let i = 0;
    while (this.running) {
      const pair = this.titlePairs[i++ % this.titlePairs.length];
      await this.send('TitleDetails', pair, this.accountOf.get(pair.profileId), vu);
      await sleep(this.thinkMs);
    }
  }

  /** A (profile, movie) pair never played in this run, so each stop's final position is checkable. */
  nextPlayback() {
    this.pick += 1;
    const pool = this.pick % 3 !== 0 && this.contended.length ? this.contended : this.anyProfiles;
    const profileId = pool[Math.floor(Math.random() * pool.length)];
    const movies = this.moviesFor[this.ratingOf.get(profileId)] ?? this.moviesFor.ALL;
    let k = Math.floor(Math.random() * movies.length);
    for (let tries = 0; tries < movies.length; tries += 1, k = (k + 1) % movies.length) {
      const key = `${profileId}\u0000${movies[k]}`;
      if (!this.usedPairs.has(key)) {
        this.usedPairs.add(key);
        return { profileId, accountId: this.accountOf.get(profileId), titleId: movies[k] };
      }
    }
    return this.nextPlayback();
  }

  async playbackVu(vu) {
    const deviceId = `chaos-device-${vu}`;
    while (this.running) {
      const { profileId, accountId, titleId } = this.nextPlayback();
      const start = await this.send('StartPlayback', { input: { profileId, titleId, deviceId, bandwidthKbps: 8000 } }, accountId, vu);
      const session = start.json?.data?.startPlayback;
      const s = {
        accountId, profileId, titleId, deviceId, plan: this.planOf.get(accountId),
        startSentAt: start.sentAt, startDoneAt: start.doneAt, outcome: start.cls,
      };
      if (start.cls === 'refused') {
        s.limit = start.json.errors.find((e) => e.extensions?.code === 'CONCURRENT_STREAM_LIMIT')?.extensions?.maxConcurrentStreams;
        this.sessions.push(s);
        await sleep(300);
        continue;
      }
      if (!session?.id) {
        s.codes = start.codes;
        this.sessions.push(s);
        await sleep(300);
        continue;
      }
      s.id = session.id;
      this.sessions.push(s);
      // Heartbeats every second with a rising position, then a stop with the final one. A stop
      // that fails is retried (twice, a second apart) as a player would; the audit counts stops
      // the service acknowledged.
      let position = 10 + Math.floor(Math.random() * 20);
      for (let h = 0; h < 3; h += 1) {
        await sleep(1000);
        position += 10;
        const hb = await this.send('Heartbeat', { input: { sessionId: s.id, positionSeconds: position } }, accountId, vu);
        if (hb.codes.some((c) => ['SESSION_EXPIRED', 'SESSION_ENDED', 'NOT_FOUND'].includes(c))) {
          s.goneAt = hb.doneAt;
          s.goneCode = hb.codes.join(',');
          break;
        }
      }
      await sleep(300);
      const final = position + 1 + Math.floor(Math.random() * 60);
      s.finalPosition = final;
      s.stopAttempts = [];
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const stop = await this.send('StopPlayback', { sessionId: s.id, positionSeconds: final }, accountId, vu);
        s.stopSentAt ??= stop.sentAt;
        s.stopAttempts.push(stop.codes.join(',') || stop.cls);
        if (stop.json?.data?.stopPlayback) {
          s.stopped = true;
          s.stoppedPosition = stop.json.data.stopPlayback.positionSeconds;
          break;
        }
        if (stop.codes.includes('NOT_FOUND')) break; // gone (e.g. Redis lost it): retrying can't help
        await sleep(1000);
      }
      await sleep(this.thinkMs);
    }
  }

  start() {
    this.running = true;
    const { home, title, playback } = this.vus;
    let vu = 0;
    for (let i = 0; i < home; i += 1) this.tasks.push(this.homeVu(vu++));
    for (let i = 0; i < title; i += 1) this.tasks.push(this.titleVu(vu++));
    for (let i = 0; i < playback; i += 1) this.tasks.push(this.playbackVu(vu++));
  }

  /** Stops starting new work; sessions in progress still get their heartbeats and stop. */
  async stop() {
    this.running = false;
    await Promise.allSettled(this.tasks);
    await this.agent.close().catch(() => undefined);
  }

  /** Warm every profile of the warm pool once (sequentially, a few at a time). */
  async warmUp(concurrency = 4) {
    let i = 0;
    const worker = async () => {
      while (i < this.warmPool.length) {
        const profileId = this.warmPool[i++];
        const r = await this.send('HomeScreen', { profileId }, this.accountOf.get(profileId), -1);
        if (r.cls === 'complete') this.warm.add(profileId);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const n = this.warm.size;
    this.records.length = 0; // warm-up isn't measured
    return n;
  }
}
