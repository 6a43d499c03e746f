// What each scenario sends (rotating variables, never one repeated query) and how each response
// is checked: a non-200, a GraphQL `errors` entry or a wrong shape is an error.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse, Kind } from 'graphql';
import { ROOT } from './system.mjs';

const OPERATIONS_DIR = path.join(ROOT, 'operations');

export function loadOperation(name) {
  const file = path.join(OPERATIONS_DIR, `${name}.graphql`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = (v) => typeof v === 'string';

function checkProgress(p) {
  return p === null || (isObj(p) && typeof p.positionSeconds === 'number' && typeof p.durationSeconds === 'number' && typeof p.completed === 'boolean');
}

export function checkHomeScreen(data, vars) {
  const p = data?.profile;
  if (!isObj(p) || p.id !== vars.profileId || !isStr(p.name)) return 'profile missing or not the one asked for';
  if (!Array.isArray(p.homeRows) || p.homeRows.length === 0 || p.homeRows.length > vars.rows) return `homeRows: ${p.homeRows?.length} rows for first: ${vars.rows}`;
  for (const row of p.homeRows) {
    if (!isStr(row.id) || !isStr(row.kind) || !isStr(row.title) || !Array.isArray(row.items)) return 'row shape';
    if (row.items.length > vars.itemsPerRow) return `row with ${row.items.length} items for itemsPerRow: ${vars.itemsPerRow}`;
    for (const item of row.items) {
      if (!isObj(item) || !isStr(item.id) || !isStr(item.name) || !isStr(item.kind) || !isStr(item.maturityRating)) return 'item shape';
      if (item.artwork !== null && !(isObj(item.artwork) && isStr(item.artwork.url))) return 'artwork shape';
      if (!Array.isArray(item.genres) || item.genres.some((g) => !isStr(g?.id) || !isStr(g?.name))) return 'genres shape';
      if (!checkProgress(item.progress)) return 'progress shape';
    }
  }
  return undefined;
}

export function checkTitleDetails(data, vars) {
  const t = data?.title;
  if (!isObj(t) || t.id !== vars.id || !isStr(t.name)) return 'title missing or not the one asked for';
  if (t.kind !== 'SERIES' || !Array.isArray(t.seasons) || t.seasons.length === 0) return 'series without seasons';
  for (const s of t.seasons) {
    if (typeof s.number !== 'number' || !Array.isArray(s.episodes) || s.episodes.length === 0) return 'season shape';
    for (const e of s.episodes) if (!isStr(e.id) || !isStr(e.name) || !checkProgress(e.progress)) return 'episode shape';
  }
  if (!Array.isArray(t.genres) || !Array.isArray(t.similar) || !checkProgress(t.progress)) return 'title shape';
  return undefined;
}

export function checkProfilePicker(data, vars) {
  const a = data?.account;
  if (!isObj(a) || a.id !== vars.accountId || !isStr(a.email)) return 'account missing or not the one asked for';
  if (!isObj(a.plan) || !isStr(a.plan.tier) || !Array.isArray(a.profiles) || a.profiles.length === 0) return 'plan/profiles shape';
  if (a.profiles.some((p) => !isStr(p.id) || !isStr(p.name) || typeof p.isKids !== 'boolean')) return 'profile shape';
  return undefined;
}

/** A cursor over a list that keeps its place between runs (so a cold run meets unseen profiles). */
export function rotation(list, start = 0) {
  let i = start;
  return {
    size: list.length,
    next() {
      const v = list[i % list.length];
      i += 1;
      return v;
    },
  };
}

/**
 * Rotation pools from the dataset the subgraphs were seeded with. Profiles are interleaved by
 * account (p1 of every account, then p2, ...) so neighbouring requests belong to different accounts.
 */
export function pools(dataset, warmSize) {
  const byAccount = new Map();
  for (const p of dataset.profiles) {
    if (!byAccount.has(p.accountId)) byAccount.set(p.accountId, []);
    byAccount.get(p.accountId).push(p.id);
  }
  const interleaved = [];
  for (let k = 0; k < 5; k += 1) for (const ids of byAccount.values()) if (ids[k]) interleaved.push(ids[k]);
  const series = dataset.titles.filter((t) => t.kind === 'SERIES' && t.seasons.length > 0).map((t) => t.id);
  const accounts = dataset.accounts.map((a) => a.id);
  const movies = dataset.titles.filter((t) => t.kind === 'MOVIE').map((t) => t.id);
  // Movies each maturity rating may watch (startPlayback refuses a title above the profile's).
  const order = ['ALL', 'SEVEN_PLUS', 'THIRTEEN_PLUS', 'SIXTEEN_PLUS', 'EIGHTEEN_PLUS'];
  const moviesFor = Object.fromEntries(order.map((r, i) => [r, dataset.titles.filter((t) => t.kind === 'MOVIE' && order.indexOf(t.maturityRating) <= i).map((t) => t.id)]));
  const ratingOf = new Map(dataset.profiles.map((x) => [x.id, x.maturityRating]));
  const warmProfiles = interleaved.slice(0, Math.min(warmSize, interleaved.length));
  return {
    allProfiles: interleaved,
    warmProfiles,
    // The cold pool starts after the warm one, so cold runs don't meet what warm-ups cached.
    coldProfiles: interleaved.slice(warmProfiles.length).concat(warmProfiles),
    series,
    movies,
    moviesFor,
    ratingOf,
    accountOf: new Map(dataset.profiles.map((x) => [x.id, x.accountId])),
    accounts,
  };
}

/** The read scenarios. `variables` is a list the load rotates over. */
export function readScenarios(p, { quick }) {
  const home = (rows, itemsPerRow, profiles) => profiles.map((profileId) => ({ profileId, rows, itemsPerRow }));
  const warm = p.warmProfiles;
  const titlePairs = [];
  for (let i = 0; i < Math.min(warm.length, Math.max(50, p.series.length)) && titlePairs.length < warm.length; i += 1) {
    titlePairs.push({ id: p.series[i % p.series.length], profileId: warm[i % warm.length] });
  }
  return [
    { name: 'home-10x20-cold', op: 'HomeScreen', variables: home(10, 20, p.coldProfiles), cold: true, check: checkHomeScreen },
    { name: 'home-10x20-warm', op: 'HomeScreen', variables: home(10, 20, warm), check: checkHomeScreen },
    { name: 'home-40x48-warm', op: 'HomeScreen', variables: home(40, 48, warm), check: checkHomeScreen },
    { name: 'title-details', op: 'TitleDetails', variables: titlePairs, check: checkTitleDetails },
    { name: 'profile-picker', op: 'ProfilePicker', variables: p.accounts.slice(0, quick ? 100 : 1000).map((accountId) => ({ accountId })), check: checkProfilePicker },
  ];
}

/** The fields of type Mutation in a supergraph SDL. */
export function mutationFields(supergraphSdl) {
  const doc = parse(supergraphSdl);
  const names = new Set();
  for (const def of doc.definitions) {
    if ((def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) && def.name.value === 'Mutation') {
      for (const f of def.fields ?? []) names.add(f.name.value);
    }
  }
  return names;
}

function namedType(type) {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

function variableDefs(operationText) {
  const doc = parse(operationText);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return (op?.variableDefinitions ?? []).map((v) => ({
    name: v.variable.name.value,
    type: namedType(v.type),
    required: v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue,
  }));
}

/** Input object types of the supergraph: name -> [{ name, type, required }]. */
function inputTypes(supergraphSdl) {
  const out = new Map();
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      out.set(def.name.value, (def.fields ?? []).map((f) => ({ name: f.name.value, type: namedType(f.type), required: f.type.kind === Kind.NON_NULL_TYPE && !f.defaultValue })));
    }
  }
  return out;
}

/** The first string under a key named like a session id in a mutation's result. */
function findSessionId(value) {
  if (!value || typeof value !== 'object') return undefined;
  for (const key of ['sessionId', 'id']) if (typeof value[key] === 'string') return value[key];
  for (const v of Object.values(value)) {
    const found = findSessionId(v);
    if (found) return found;
  }
  return undefined;
}

/**
 * The write mix: StartPlayback, Heartbeat x2, StopPlayback per virtual viewer. Returns
 * { skip: reason } when the supergraph has no Mutation.startPlayback or an operation is missing.
 */
export function writeScenario(supergraphSdl, p) {
  const fields = mutationFields(supergraphSdl);
  if (!fields.has('startPlayback')) return { skip: 'the composed supergraph has no Mutation.startPlayback yet' };
  const ops = {};
  for (const name of ['StartPlayback', 'Heartbeat', 'StopPlayback']) {
    const text = loadOperation(name);
    if (!text) return { skip: `Mutation.startPlayback exists but operations/${name}.graphql does not` };
    ops[name] = { text, vars: variableDefs(text) };
  }
  // Values the bench knows how to give, by argument or input field name.
  const value = (name, ctx) => {
    switch (name) {
      case 'profileId': return ctx.profileId;
      case 'titleId': return ctx.titleId;
      case 'sessionId': return ctx.sessionId ?? null;
      case 'positionSeconds': return ctx.position;
      // One device per account (a household's TV): a start whose response a run's end cut off
      // leaves a session holding the account's slot until it times out; the next start on the
      // same device replaces it, as a real TV restarting would, instead of being refused.
      case 'deviceId': return `bench-device-${p.accountOf?.get(ctx.profileId) ?? ctx.profileId}`;
      case 'bandwidthKbps': return 8000;
      case 'bitrateKbps': return 5800;
      default: return undefined;
    }
  };
  const inputs = inputTypes(supergraphSdl);
  const PROBE = { profileId: 'x', titleId: 'x', position: 0, sessionId: 'x' };
  const unknown = [];
  for (const [name, op] of Object.entries(ops)) {
    for (const v of op.vars) {
      const fields = inputs.get(v.type);
      if (fields) {
        for (const f of fields) if (f.required && value(f.name, PROBE) === undefined) unknown.push(`${name}: ${v.type}.${f.name}`);
      } else if (v.required && value(v.name, PROBE) === undefined) unknown.push(`${name}: $${v.name}`);
    }
  }
  if (unknown.length) return { skip: `the bench can't fill ${unknown.join(', ')}` };
  const movies = p.movies;
  let n = 0;
  const fill = (op, ctx) => {
    const out = {};
    for (const v of op.vars) {
      const fields = inputs.get(v.type);
      if (fields) {
        const input = {};
        for (const f of fields) {
          const x = value(f.name, ctx);
          if (x !== undefined && f.name !== 'episodeId') input[f.name] = x;
        }
        out[v.name] = input;
      } else {
        const x = value(v.name, ctx);
        if (x !== undefined) out[v.name] = x;
      }
    }
    return out;
  };
  const check = (data) => (data && typeof data === 'object' && Object.values(data).every((v) => v !== null && v !== undefined) ? undefined : 'null mutation result');
  // Sessions started and not yet stopped (a run can end mid-sequence): the bench stops them
  // after each run so the next one isn't refused by the plan's stream limit.
  const open = new Set();
  return {
    name: 'write-mix',
    write: true,
    open,
    stopText: ops.StopPlayback.text,
    steps: [
      {
        op: 'StartPlayback', text: ops.StartPlayback.text, check,
        vars(ctx) {
          n += 1;
          ctx.profileId = p.allProfiles[n % p.allProfiles.length];
          const allowed = p.moviesFor[p.ratingOf.get(ctx.profileId)] ?? movies;
          ctx.titleId = allowed[n % allowed.length];
          ctx.position = 0;
          ctx.sessionId = undefined;
          return fill(ops.StartPlayback, ctx);
        },
        after(ctx, data) { ctx.sessionId = findSessionId(data); if (ctx.sessionId) open.add(ctx.sessionId); },
      },
      { op: 'Heartbeat', text: ops.Heartbeat.text, check, vars(ctx) { ctx.position += 30; return fill(ops.Heartbeat, ctx); } },
      { op: 'Heartbeat', text: ops.Heartbeat.text, check, vars(ctx) { ctx.position += 30; return fill(ops.Heartbeat, ctx); } },
      { op: 'StopPlayback', text: ops.StopPlayback.text, check, vars(ctx) { ctx.position += 10; return fill(ops.StopPlayback, ctx); }, after(ctx) { open.delete(ctx.sessionId); } },
    ],
  };
}
