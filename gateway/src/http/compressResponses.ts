import compression from 'compression';
import type { RequestHandler } from 'express';

export interface CompressionConfig {
  /** Off: every answer goes as it is (for measuring what compression costs). @default true */
  enabled: boolean;
  /**
   * Answers smaller than this go uncompressed: below about a kilobyte the encoding's own
   * framing and the CPU cost more than the bytes saved (an error, a small mutation answer).
   * @default 1024
   */
  thresholdBytes: number;
}

export const DEFAULT_COMPRESSION: CompressionConfig = { enabled: true, thresholdBytes: 1024 };

/**
 * gzip and Brotli for the gateway's answers, negotiated on `Accept-Encoding` (Brotli preferred
 * where the client accepts both; none where it accepts neither), by Express's own `compression`
 * middleware. A home screen is tens of KB of JSON that repeats the same field names hundreds of
 * times: it shrinks about tenfold (bench: bytes per scenario).
 *
 * Brotli runs at quality 4 (the middleware's default), not 11: at 11 a 50 KB answer costs
 * milliseconds of the gateway's CPU per request for a few percent fewer bytes.
 *
 * Streams are never held back: an incremental (`multipart/mixed`) answer is written part by
 * part by Apollo's Express integration, which calls `res.flush()` after each part; the
 * middleware's flush pushes what zlib holds to the client, so each part arrives as soon as it
 * is written, compressed against the parts before it (test: http-compression.test.ts).
 */
export function compressResponses(config: CompressionConfig): RequestHandler[] {
  if (!config.enabled) return [];
  return [compression({ threshold: config.thresholdBytes, filter: compressible })];
}

/**
 * JSON answers (the middleware's own rule, from the content type), and incremental ones: the
 * media-type database calls `multipart/mixed` incompressible (a mail's parts are often images
 * already compressed), but a GraphQL stream's parts are JSON.
 */
const compressible: compression.CompressionFilter = (req, res) =>
  /^multipart\/mixed\b/i.test(String(res.getHeader('content-type') ?? '')) || compression.filter(req, res);
