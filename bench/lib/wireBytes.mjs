// Bytes on the wire per scenario (uncompressed, gzip, Brotli, as the gateway sends them) and what
// compressing one answer costs in CPU, with the settings the gateway's compression middleware
// uses (zlib's default gzip level; Brotli quality 4): measured here on the same bodies, in this
// process, because the gateway's own CPU per request under load also moves with everything else.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { request } from 'undici';

const REPEAT = 50;

function cpuMicros(fn) {
  fn();
  const before = process.cpuUsage();
  for (let i = 0; i < REPEAT; i += 1) fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / REPEAT;
}

/** One answer per scenario (its first variables), fetched three ways through `url`. */
export async function wireBytes(url, scenarios, headersFor, text) {
  const out = [];
  for (const s of scenarios) {
    const variables = s.variables[0];
    const sizes = {};
    let body;
    for (const encoding of ['identity', 'gzip', 'br']) {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-encoding': encoding, ...headersFor(variables) },
        body: JSON.stringify({ query: text(s.op), variables, operationName: s.op }),
      });
      const bytes = Buffer.from(await res.body.arrayBuffer());
      // Below the gateway's threshold (1 KB) an answer goes uncompressed whatever was asked.
      const got = String(res.headers['content-encoding'] ?? 'identity');
      if (got !== encoding && got !== 'identity') throw new Error(`${s.name}: asked for ${encoding}, got ${got}`);
      sizes[encoding] = bytes.length;
      if (encoding === 'identity') body = bytes;
    }
    out.push({
      scenario: s.name,
      rawBytes: sizes.identity,
      gzipBytes: sizes.gzip,
      brBytes: sizes.br,
      gzipMicros: cpuMicros(() => gzipSync(body)),
      brMicros: cpuMicros(() => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })),
    });
  }
  return out;
}
