import net from 'node:net';

/**
 * A TCP proxy in front of a real server, so a test can take the server away from a client and
 * give it back (an outage and a recovery) without stopping a server other tests share.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private mode: 'forward' | 'blackhole' = 'forward';
  private toDrop = 0;
  port = 0;
  /** Connections accepted so far: how a test sees whether a client tried at all. */
  accepted = 0;
  /** The most client connections open at once: how a test sees a client's pool stay bounded. */
  peakOpen = 0;
  private open = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  /** Listens (again, on the same port after a stop); a no-op while already listening. */
  async start(port = this.port): Promise<number> {
    if (this.server) return this.port;
    const server = net.createServer((client) => {
      this.accepted += 1;
      this.open += 1;
      this.peakOpen = Math.max(this.peakOpen, this.open);
      client.on('close', () => (this.open -= 1));
      if (this.toDrop > 0) {
        this.toDrop -= 1;
        client.resetAndDestroy();
        return;
      }
      if (this.mode === 'blackhole') {
        // Accepts and reads, never answers: a hung process, or a packet-dropping network.
        this.sockets.add(client);
        client.on('close', () => this.sockets.delete(client));
        client.on('error', () => client.destroy());
        client.resume();
        return;
      }
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** From now on, connections are accepted and never answered; open ones are dropped first. */
  blackhole(): void {
    this.dropOpenConnections();
    this.mode = 'blackhole';
  }

  /** Back to forwarding (open black-holed connections stay hung until their client gives up). */
  forward(): void {
    this.mode = 'forward';
  }

  /** Resets the next `count` new connections at once: a fast, transient failure. */
  dropNext(count: number): void {
    this.toDrop = count;
  }

  dropOpenConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Drops every connection and refuses new ones, like a server that died. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
