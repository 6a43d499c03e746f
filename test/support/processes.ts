import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface RunningProcess {
  child: ChildProcess;
  /** The URL the process announced in its "ready at" line. */
  ready: Promise<string>;
  exited: Promise<number | null>;
  output(): string;
}

/**
 * Starts a compiled entry point as deployed (configured by the environment) and resolves `ready`
 * with the URL it announces. Needs the build, which `npm test` runs first.
 */
export function runUntilReady(entry: string, env: Record<string, string>): RunningProcess {
  if (!existsSync(path.join(ROOT, entry))) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [path.join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'info', ...env } });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /ready at (\S+)/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`${entry} exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, ready, exited, output: () => output };
}
