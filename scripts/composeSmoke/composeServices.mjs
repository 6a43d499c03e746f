// What `docker compose up` would run from our image, read the way compose reads it: the file
// resolved by docker-compose itself (interpolation of .env, anchors and merges), each service's
// command (or the image's CMD) and its environment over the image's ENV.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/**
 * `docker-compose config` with `envFile` as the project's .env, in an environment holding only
 * PATH and HOME: a variable exported in the shell that runs this check would otherwise stand in
 * for one the .env fails to provide, and hide exactly the defect this check is for. Debian's
 * docker-compose (1.29) has no `--format json`, so its YAML is parsed.
 */
export function resolveCompose({ root, composeFile, envFile }) {
  const args = ['--project-directory', root, '--env-file', envFile, '-f', composeFile, 'config'];
  const text = execFileSync('docker-compose', args, {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return YAML.parse(text);
}

/** The final stage's ENV and CMD: what a container of the image starts with. */
export function readImageDefaults(dockerfile) {
  const lines = readFileSync(dockerfile, 'utf8').split('\n');
  const lastFrom = lines.findLastIndex((l) => /^FROM\s/i.test(l.trim()));
  const env = {};
  let cmd;
  for (const raw of lines.slice(lastFrom + 1)) {
    const line = raw.trim();
    if (/\\$/.test(line)) throw new Error(`${dockerfile}: continued lines are not understood here: ${line}`);
    const m = /^(ENV|CMD)\s+(.*)$/i.exec(line);
    if (!m) continue;
    if (m[1].toUpperCase() === 'CMD') cmd = JSON.parse(m[2]);
    else if (m[2].includes('=')) {
      for (const pair of m[2].match(/\S+="[^"]*"|\S+=\S*/g) ?? []) {
        const i = pair.indexOf('=');
        env[pair.slice(0, i)] = pair.slice(i + 1).replace(/^"(.*)"$/, '$1');
      }
    } else {
      const [key, ...value] = m[2].split(/\s+/);
      env[key] = value.join(' ');
    }
  }
  return { env, cmd };
}

/** Compose durations as printed by `config` ("5s", "2m", "1m30s", "500ms") in milliseconds. */
export function durationMs(value, fallbackMs) {
  if (value === undefined || value === null) return fallbackMs;
  if (typeof value === 'number') return value / 1e6; // nanoseconds, as the Docker API takes them
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s|us|ns)/g;
  let matched = '';
  for (const m of String(value).matchAll(re)) {
    matched += m[0];
    total += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 1e-3, ns: 1e-6 }[m[2]];
  }
  if (matched !== String(value)) throw new Error(`duration "${value}" is not understood`);
  return total;
}

/**
 * Every service `docker compose up` starts from our image (built from this repository; services
 * behind a profile are not started by a plain `up`), with what it runs and in which order.
 * `port` is the one its own healthcheck probes; `readyWithinMs` is what compose allows before
 * calling it unhealthy: start_period plus interval x retries.
 */
export function imageServices(config, { root, imageDefaults }) {
  const ours = [];
  for (const [name, service] of Object.entries(config.services ?? {})) {
    if (service.profiles?.length) continue;
    const context = typeof service.build === 'string' ? service.build : service.build?.context;
    if (!context || path.resolve(root, context) !== path.resolve(root)) continue;
    const environment = Array.isArray(service.environment)
      ? Object.fromEntries(service.environment.map((e) => [e.split('=')[0], e.split('=').slice(1).join('=')]))
      : { ...(service.environment ?? {}) };
    // `KEY` with no value passes the caller's variable through; the caller here has none.
    for (const [key, value] of Object.entries(environment)) if (value === null) delete environment[key];
    const command = service.command ?? imageDefaults.cmd;
    if (!Array.isArray(command)) throw new Error(`${name}: its command must be an exec-form list, got ${JSON.stringify(command)}`);
    const probe = JSON.stringify(service.healthcheck?.test ?? '');
    const port = /127\.0\.0\.1:(\d+)\/health\/ready/.exec(probe)?.[1];
    if (!port) throw new Error(`${name}: no healthcheck probing http://127.0.0.1:<port>/health/ready, so its port and readiness are unknown`);
    const hc = service.healthcheck;
    const dependsOn = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
    ours.push({
      name,
      command,
      env: { ...imageDefaults.env, ...environment },
      port: Number(port),
      dependsOn,
      readyWithinMs: durationMs(hc.start_period, 0) + durationMs(hc.interval, 30_000) * (hc.retries ?? 3),
    });
  }
  return ours;
}
