import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { request } from 'undici';
import { listen, type HttpListener } from '@streaming/platform';

const WEB_DIR = path.resolve(__dirname, '../../clients/web');
const VITE = path.resolve(__dirname, '../../node_modules/vite/bin/vite.js');

/** Builds clients/web with Vite into a fresh folder; resolves to it. */
export async function buildWebClient(): Promise<string> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'web-client-'));
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [VITE, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: WEB_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => { output += c; });
    child.stderr.on('data', (c) => { output += c; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${output}`))));
  });
  return outDir;
}

export interface WebServer {
  url: string;
  /** An `x-fault` header added to every request passed to the gateway, as a faulty backend would be. */
  setFault(fault: string | undefined): void;
  stop(): Promise<void>;
}

/**
 * Serves a built web client and passes its /graphql to the gateway, as the Vite dev server's
 * proxy does under `npm run web`: the browser sees one origin. Only the headers a GraphQL request
 * needs cross, plus the fault the test asked for.
 */
export async function serveWebClient(distDir: string, gatewayUrl: string): Promise<WebServer> {
  let fault: string | undefined;
  const app = express();
  app.use('/graphql', express.raw({ type: () => true, limit: '2mb' }), async (req, res) => {
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization', 'x-request-id', 'accept']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    if (fault) headers['x-fault'] = fault;
    const upstream = await request(new URL('graphql', gatewayUrl), {
      method: req.method as 'GET' | 'POST',
      headers,
      body: req.method === 'POST' ? (req.body as Buffer) : undefined,
    });
    res.status(upstream.statusCode);
    for (const name of ['content-type', 'x-request-id']) {
      const value = upstream.headers[name];
      if (typeof value === 'string') res.setHeader(name, value);
    }
    res.send(Buffer.from(await upstream.body.arrayBuffer()));
  });
  app.use(express.static(distDir));
  const http: HttpListener = await listen(app, { port: 0, host: '127.0.0.1' });
  return {
    url: http.url,
    setFault: (value) => { fault = value; },
    stop: async () => {
      await http.close();
      rmSync(distDir, { recursive: true, force: true });
    },
  };
}
