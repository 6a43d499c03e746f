import { countRefusal, ErrorCode } from '@streaming/platform/core';
import type { Request, RequestHandler } from 'express';
import type { PersistedQueryManifest } from './trustedDocumentsPlugin';

/** The one answer every unregistered document gets, whatever it holds. */
export const NOT_IN_LIST_MESSAGE = 'Only registered operations run here: send one by its id or its exact registered text (README, "Registering an operation").';

/** What a GraphQL-over-HTTP request names: its text, and the id of a persisted query. */
export function requested(req: Request): { query: unknown; id: unknown } | 'ambiguous' | undefined {
  if (req.method === 'GET') {
    // Read the raw query string the way Apollo Server does (URLSearchParams), not Express's
    // parsed \`req.query\`: qs turns \`query[0]=...\` or a repeated key into arrays and objects that
    // the gate would take for "not text, Apollo refuses it", while Apollo reads the plain \`query\`
    // beside them and parses it. A repeated parameter names no one document: refused here.
    const url = req.originalUrl ?? req.url;
    const params = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
    if (params.getAll('query').length > 1 || params.getAll('extensions').length > 1) return 'ambiguous';
    const query = params.get('query') ?? undefined;
    const extensions = params.get('extensions');
    let parsed: unknown;
    try {
      parsed = extensions !== null ? JSON.parse(extensions) : undefined;
    } catch {
      // Apollo answers a malformed \`extensions\` itself (400 BAD_REQUEST).
      return undefined;
    }
    return { query, id: (parsed as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash };
  }
  const body = (req as { body?: unknown }).body;
  // Batches, non-JSON and empty bodies are not documents; Apollo refuses them with 400 BAD_REQUEST.
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { query, extensions } = body as { query?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
  return { query, id: extensions?.persistedQuery?.sha256Hash };
}

/**
 * Trusted documents, enforced at the HTTP edge: a request runs only a registered operation, by
 * its id (the manifest's SHA-256; Apollo Client's persisted-query link) or by its exact
 * registered text. Anything else gets one fixed 400 PERSISTED_QUERY_NOT_IN_LIST before GraphQL
 * sees it: nothing is parsed or validated, so unregistered text costs a map lookup, and since the
 * answer never depends on what the text holds (a field the schema lacks, a syntax error, a depth
 * bomb) it tells a prober nothing about the schema. It counts as a refusal only
 * (`gateway_operations_refused_total`), never as an operation.
 *
 * Text is matched as a whole string (no hashing needed: a registered text is known by value).
 * An id with text is a registration attempt; the text decides, and Apollo checks that the id is
 * the text's hash. Requests that carry neither text nor id are left to Apollo's own 400.
 */
export function trustedDocumentsGate(manifest: PersistedQueryManifest): RequestHandler {
  const texts = new Set(manifest.operations.map((o) => o.body));
  const ids = new Set(manifest.operations.map((o) => o.id));
  const mayPass = ({ query, id }: { query: unknown; id: unknown }): boolean => {
    if (typeof query === 'string') return texts.has(query);
    // Not text at all (a number, an object): Apollo refuses it as malformed, unparsed.
    if (query !== undefined && query !== null) return true;
    // Neither text nor id: Apollo's "must contain a query" refusal.
    if (id === undefined) return true;
    return typeof id === 'string' && ids.has(id);
  };
  return (req, res, next) => {
    const asked = requested(req);
    if (!asked || (asked !== 'ambiguous' && mayPass(asked))) return next();
    countRefusal(ErrorCode.PERSISTED_QUERY_NOT_IN_LIST);
    res.status(400).json({ errors: [{ message: NOT_IN_LIST_MESSAGE, extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST } }] });
  };
}
