import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export interface HttpListener {
  /** `http://host:port/`, with `localhost` for an unspecified address. */
  url: string;
  server: http.Server;
  /**
   * Stops accepting connections, lets in-flight requests finish for up to `graceMs`, then cuts
   * what is left. Idle keep-alive connections are closed at once: a client pool would otherwise
   * hold the server open for its whole keep-alive time.
   */
  close(graceMs?: number): Promise<void>;
}

export async function listen(handler: RequestListener, { port, host }: { port: number; host: string }): Promise<HttpListener> {
  const server = http.createServer(handler);
  // Longer than the gateway's keep-alive to its subgraphs, so the server never closes a socket the
  // client is about to reuse (that race shows up as a rare ECONNRESET under load).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.address === '::' || address.address === '0.0.0.0' ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}/`,
    server,
    close: (graceMs = 10_000) =>
      (closed ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      })),
  };
}
