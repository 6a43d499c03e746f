import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { inSequence } from './inSequence';
import { listen, type HttpListener } from './listen';

/** One Express layer that must behave as the layers it stands for. */
describe('inSequence', () => {
  let server: HttpListener | undefined;
  afterEach(async () => {
    await server?.close(0);
    server = undefined;
  });

  /** GET /x through the handlers, mounted at /x as createHttpApp mounts GraphQL's, then a 404 and an error handler. */
  async function get(handlers: RequestHandler[]): Promise<{ status: number; body: string }> {
    await server?.close(0);
    const app = express();
    app.use(['/x'], inSequence(handlers));
    app.use((_req, res) => void res.status(404).send('after'));
    const onError: ErrorRequestHandler = (err, _req, res, _next) => void res.status(500).send(`error: ${err instanceof Error ? err.message : String(err)}`);
    app.use(onError);
    server = await listen(app, { port: 0, host: '127.0.0.1' });
    const response = await fetch(new URL('/x', server.url));
    return { status: response.status, body: await response.text() };
  }

  const mark = (name: string): RequestHandler => (req, _res, next) => {
    (req as { seen?: string[] }).seen = [...((req as { seen?: string[] }).seen ?? []), name];
    next();
  };
  const answer: RequestHandler = (req, res) => void res.send(((req as { seen?: string[] }).seen ?? []).join(','));

  it('runs the handlers in order until one answers, with the path as mounted', async () => {
    const path: RequestHandler = (req, _res, next) => { mark(`${req.baseUrl}|${req.url}`)(req, _res, next); };
    expect(await get([mark('a'), path, mark('b'), answer, mark('never')])).toEqual({ status: 200, body: 'a,/x|/,b' });
  });

  it('goes on to the next layer when every handler calls next()', async () => {
    expect(await get([mark('a'), mark('b')])).toEqual({ status: 404, body: 'after' });
  });

  it("treats next('route') as next(), as between app.use layers", async () => {
    expect(await get([(_req, _res, next) => next('route'), mark('b'), answer])).toEqual({ status: 200, body: 'b' });
  });

  it('hands next(err), a throw and a rejected promise to the error handlers, skipping the rest', async () => {
    expect(await get([(_req, _res, next) => next(new Error('passed')), answer])).toEqual({ status: 500, body: 'error: passed' });
    expect(await get([() => { throw new Error('thrown'); }, answer])).toEqual({ status: 500, body: 'error: thrown' });
    expect(await get([async () => { throw new Error('rejected'); }, answer])).toEqual({ status: 500, body: 'error: rejected' });
    const thenable = { then: (_resolve: unknown, reject: (error: Error) => void) => reject(new Error('thenable')) };
    expect(await get([(() => thenable) as unknown as RequestHandler, answer])).toEqual({ status: 500, body: 'error: thenable' });
  });

  it('hands an error raised after the first handler to the error handlers too', async () => {
    expect(await get([mark('a'), (_req, _res, next) => setImmediate(() => next(new Error('later'))), answer])).toEqual({ status: 500, body: 'error: later' });
  });
});
