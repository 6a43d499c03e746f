// Processes the bench starts (subgraphs, gateways), their CPU and memory, and the machine.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(BENCH_DIR, '..');
const CLK_TCK = 100;

export function hasTaskset() {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** CPU sets: the load generator on one core, the gateway on another, the rest unpinned. */
export function cpuPlan(pin) {
  const cpus = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  if (!pin || cpus < 2 || !hasTaskset()) return { pinned: false, cpus };
  const all = `0-${cpus - 1}`;
  return { pinned: true, cpus, loadGenerator: '0', gateway: String(cpus - 1), others: all };
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Calls onLine with every line a child writes to stdout or stderr. */
export function eachLine(child, onLine) {
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        onLine(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
    });
  }
}

/** Every process started and not yet exited, so a failed start still cleans up. */
export const spawned = new Set();

/**
 * Spawns `node args...` (under taskset when a CPU list is given) and resolves once a line of its
 * output matches `ready`. Keeps the last output lines for error messages.
 */
export function startProcess({ name, args, env, cpus, ready, ipc = false, timeoutMs = 180_000, log = () => {} }) {
  const command = cpus ? 'taskset' : process.execPath;
  const argv = cpus ? ['-c', cpus, process.execPath, ...args] : args;
  const child = spawn(command, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])] });
  const tail = [];
  const proc = { name, child, tail, pid: child.pid, exited: false };
  spawned.add(proc);
  child.on('exit', (code, signal) => { proc.exited = true; proc.exitInfo = signal ?? code; spawned.delete(proc); });
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${name} not ready after ${timeoutMs} ms:\n${tail.join('\n')}`)), timeoutMs);
    function finish(err) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve(proc);
    }
    const onLine = (line) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      log(`[${name}] ${line}`);
      if (ready.test(line)) finish();
    };
    eachLine(child, onLine);
    child.on('exit', (code, signal) => finish(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${tail.join('\n')}`)));
    child.on('error', (err) => finish(err));
  });
}

export async function stopProcess(proc, timeoutMs = 10_000) {
  if (!proc || proc.exited) return;
  await new Promise((resolve) => {
    const timer = setTimeout(() => { proc.child.kill('SIGKILL'); }, timeoutMs);
    proc.child.once('exit', () => { clearTimeout(timer); resolve(); });
    proc.child.kill('SIGTERM');
  });
}

/** The process and its descendants (Hive Gateway may fork workers). */
export function processTree(pid) {
  const pids = [pid];
  try {
    for (let i = 0; i < pids.length; i += 1) {
      const children = readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8').trim();
      if (children) pids.push(...children.split(/\s+/).map(Number));
    }
  } catch {
    /* gone */
  }
  return pids;
}

/** utime + stime of a process tree, in ms. */
export function cpuMs(pid) {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* gone */
    }
  }
  return (ticks * 1000) / CLK_TCK;
}

/** Peak RSS (VmHWM) of a process tree, in bytes; resetPeak() starts a new window. */
export function peakRss(pid) {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      /* gone */
    }
  }
  return total;
}

export function resetPeak(pid) {
  for (const p of processTree(pid)) {
    try {
      writeFileSync(`/proc/${p}/clear_refs`, '5');
    } catch {
      /* not allowed here: the peak is then since start */
    }
  }
}

export function machine() {
  const cpus = os.cpus();
  let debian = '';
  try {
    debian = readFileSync('/etc/debian_version', 'utf8').trim();
  } catch {
    /* not Debian */
  }
  let pg = '';
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}${debian ? ` (Debian ${debian})` : ''}`,
    node: process.version,
    pg,
  };
}

export function listDir(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
