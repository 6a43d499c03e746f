import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { listen, type HttpListener } from '@streaming/platform';
import express from 'express';
import { request } from 'undici';
import { compressResponses } from './compressResponses';

/**
 * An incremental answer must reach the client part by part, compressed or not: the server below
 * writes its second part only once the client has decoded the first, so a middleware that held
 * parts back would never finish (the test would time out), whatever the machine's speed.
 */
describe('compressResponses and multipart/mixed', () => {
  let server: HttpListener | undefined;
  afterEach(async () => {
    await server?.close(0);
    server = undefined;
  });

  async function serveParts(parts: string[], clientGot: (i: number) => Promise<void>) {
    const app = express();
    app.use(...compressResponses({ enabled: true, thresholdBytes: 1024 }));
    app.get('/', async (_req, res) => {
      res.status(200).set('content-type', 'multipart/mixed; boundary="-"; deferSpec=20220824');
      // As Apollo's Express integration writes an incremental answer: write, flush, next part.
      for (const [i, part] of parts.entries()) {
        res.write(part);
        (res as unknown as { flush?: () => void }).flush?.();
        await clientGot(i);
      }
      res.end();
    });
    server = await listen(app, { port: 0, host: '127.0.0.1' });
    return server.url;
  }

  it.each([['br'], ['gzip']])('flushes each part as it is written (%s)', async (encoding) => {
    const parts = [`\r\n---\r\ncontent-type: application/json\r\n\r\n${JSON.stringify({ data: { rows: 'x'.repeat(3000) }, hasNext: true })}`, `\r\n---\r\ncontent-type: application/json\r\n\r\n${JSON.stringify({ incremental: [{ data: { more: 'y' } }], hasNext: false })}\r\n-----\r\n`];
    let decoded = '';
    const waiters: Array<{ text: string; resolve: () => void }> = [];
    const settle = () => {
      for (const w of waiters.splice(0)) if (decoded.includes(w.text)) w.resolve(); else waiters.push(w);
    };
    const clientGot = (i: number) => new Promise<void>((resolve) => {
      waiters.push({ text: parts[i], resolve });
      settle();
    });
    const url = await serveParts(parts, clientGot);
    const res = await request(url, { headers: { 'accept-encoding': encoding, accept: 'multipart/mixed;deferSpec=20220824' } });
    expect(res.headers['content-encoding']).toBe(encoding);
    const decoder = encoding === 'br' ? createBrotliDecompress() : createGunzip();
    decoder.on('data', (chunk: Buffer) => {
      decoded += chunk.toString('utf8');
      settle();
    });
    res.body.pipe(decoder);
    await new Promise((resolve) => decoder.on('end', resolve));
    expect(decoded).toBe(parts.join(''));
  });
});
