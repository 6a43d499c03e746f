import { ErrorCode } from '@streaming/platform/core';
import type { RequestHandler } from 'express';
import { requested } from '../persistedQueries/trustedDocumentsGate';
import type { PersistedQueryManifest } from '../persistedQueries/trustedDocumentsPlugin';

/**
 * Set by `registeredQueriesByGet` alone (a client's own is removed first), and listed among the
 * headers Apollo's CSRF prevention accepts (server.ts: `csrfPrevention.requestHeaders`).
 */
export const REGISTERED_QUERY_HEADER = 'x-streaming-registered-query';

/** Apollo's own two (Apollo iOS and Kotlin send the first; anyone may send the second) and ours. */
export const CSRF_REQUEST_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight', REGISTERED_QUERY_HEADER];

export const MUTATION_BY_GET_MESSAGE = 'Mutations are only accepted by POST: a GET runs registered queries only, so that a link, a prefetch or a cache can never change anything.';

/**
 * GET for registered queries, as Apollo Client's persisted-query link sends them with
 * `useGETForHashedQueries` (`?operationName=...&variables=...&extensions={"persistedQuery":
 * {"version":1,"sha256Hash":"<manifest id>"}}`): what lets a CDN or the phone's HTTP cache hold
 * the public catalog.
 *
 * Such a GET needs no CSRF preflight header. Apollo's CSRF prevention refuses requests a browser
 * would send cross-site without a CORS preflight (a GET, or a POST with a form's content type)
 * unless they carry a header only a script can set. Its purpose is to stop another site from
 * making a victim's browser run an operation with the victim's ambient credentials (cookies, HTTP
 * auth, a trusted network). A GET naming a registered query by id can't be that:
 * - identity here is only a bearer token in `Authorization`, which a browser never attaches on its
 *   own (and a page that sets it triggers a preflight anyway); there are no cookies;
 * - it runs fixed, reviewed text that is a query: no mutation (refused just below, by id, and by
 *   Apollo for GET text), so nothing changes whatever the request says;
 * - the answer can't be read by the other site (CORS), and the public ones are anybody's anyway.
 * And asking for the header would cost every web client a CORS preflight round trip per query,
 * and stop a plain link or `fetch(url)` from using the public catalog. So the check is waived
 * for exactly these requests, by this middleware setting a header of ours that Apollo accepts;
 * everything else (GET with text, form-like POSTs) keeps Apollo's CSRF prevention, which would
 * matter again if cookies were ever added.
 *
 * A registered mutation asked for by GET is refused here with 405 and `Allow: POST`, saying
 * why; Apollo would otherwise answer it with its CSRF refusal, which says nothing useful.
 */
export function registeredQueriesByGet(manifest: PersistedQueryManifest): RequestHandler {
  const typeById = new Map(manifest.operations.map((o) => [o.id, o.type]));
  return (req, res, next) => {
    delete req.headers[REGISTERED_QUERY_HEADER];
    if (req.method !== 'GET') return next();
    const asked = requested(req);
    if (!asked || asked === 'ambiguous' || asked.query !== undefined || typeof asked.id !== 'string') return next();
    const type = typeById.get(asked.id);
    if (type === 'query') {
      req.headers[REGISTERED_QUERY_HEADER] = 'get';
      return next();
    }
    if (type === undefined) return next();
    res.status(405).set('allow', 'POST').json({ errors: [{ message: MUTATION_BY_GET_MESSAGE, extensions: { code: ErrorCode.BAD_REQUEST } }] });
  };
}
