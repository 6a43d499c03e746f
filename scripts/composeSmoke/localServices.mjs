// Compose services as processes on this machine: every compose hostname becomes 127.0.0.1, each
// of our services gets a free port of its own (compose gives each container the same ones), and
// Postgres and Redis are the machine's own, under names and a key prefix only this run uses.
import { SUBGRAPH_NAMES, envPrefix } from './platform.mjs';

/**
 * The variable that moves a service's listener, and the one that binds it: the subgraphs read
 * `<NAME>_PORT` and SUBGRAPH_HOST, the gateway PORT and HOST (packages/platform/src/config.ts,
 * gateway/src/config.ts).
 */
function listenerVariables(name) {
  if (name === 'gateway') return { port: 'PORT', host: 'HOST' };
  if (SUBGRAPH_NAMES.includes(name)) return { port: `${envPrefix(name)}_PORT`, host: 'SUBGRAPH_HOST' };
  throw new Error(`${name}: not the gateway or a subgraph, so which variable moves its port is unknown`);
}

/**
 * Rewrites `services` (from imageServices) for this machine. `ports` maps each of our services
 * to the free local port it gets; `backing` maps the other compose services it may reference
 * (postgres, redis) to the local `host:port` standing in for them. Returns the services with
 * their local env, plus what was added (printed, so nothing is changed silently).
 */
export function localServices(services, { ports, backing, runId, allServiceNames, drop = [] }) {
  const local = new Map(Object.entries(backing));
  for (const s of services) local.set(s.name, `127.0.0.1:${ports[s.name]}`);
  const names = new Set(allServiceNames);
  const added = {
    DATABASE_PREFIX: `smoke_${runId}`,
    CACHE_KEY_PREFIX: `smoke:${runId}:`,
  };
  return services.map((s) => {
    const env = {};
    for (const [key, value] of Object.entries(s.env)) {
      if (drop.includes(key) || drop.includes(`${s.name}:${key}`)) continue;
      env[key] = rewriteUrl(String(value), (host) => {
        const target = local.get(host);
        if (!target) throw new Error(`${s.name}: ${key} points at ${host}, which this check has nothing to stand in for`);
        return target;
      }, names, `${s.name}: ${key}`);
    }
    const listener = listenerVariables(s.name);
    const own = { [listener.port]: String(ports[s.name]), [listener.host]: '127.0.0.1', ...added };
    return { ...s, env: { ...env, ...own }, localPort: ports[s.name], added: own };
  });
}

/**
 * A URL whose host is a compose service gets `target(host)` as its host (and port); anything
 * else is left as it is, unless it names a service some other way (`profile:4001` without a
 * scheme), which would reach nothing here: refused rather than guessed at.
 */
function rewriteUrl(value, target, names, what) {
  let url;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url && url.hostname && names.has(url.hostname)) {
    url.host = target(url.hostname);
    return url.toString();
  }
  for (const name of names) {
    if (new RegExp(`(^|[^\\w.-])${name.replace(/[-]/g, '\\-')}:\\d+`).test(value) && !(url && url.hostname)) {
      throw new Error(`${what} names the service ${name} in a way this check can't move: ${value}`);
    }
  }
  return value;
}
