// A small TCP proxy (node `net`) the gateway dials instead of one subgraph, so the harness can
// add latency or drop connections on that hop only. Given several targets (`--replicas`), it is
// a round-robin balancer: each new connection goes to the next target, and one that refuses the
// connection (a killed instance) is skipped for the next, as a TCP load balancer's connect
// failover does; connections already open to an instance that dies are reset, and the client's
// retry lands on a live one. Modes:
//   pass     bytes flow both ways as they come
//   latency  every chunk of the subgraph's answers is held `delayMs` before it is forwarded
//            (order kept), i.e. each response arrives that much later
//   drop     open connections are reset (RST) and new ones reset as soon as they are accepted
import net from 'node:net';

export async function startProxy({ targetPort, targetPorts = [targetPort], host = '127.0.0.1' }) {
  const pairs = new Set();
  const state = { mode: 'pass', delayMs: 0, accepted: 0, reset: 0, refusedTargets: 0, byTarget: Object.fromEntries(targetPorts.map((p) => [p, 0])) };
  let next = 0;

  /** A connected socket to the next target that accepts, trying each at most once; null if none does. */
  const connectUpstream = (tries = 0) => new Promise((resolve) => {
    if (tries >= targetPorts.length) return resolve(null);
    const port = targetPorts[next++ % targetPorts.length];
    const upstream = net.connect(port, host);
    const refused = () => {
      state.refusedTargets += 1;
      upstream.destroy();
      resolve(connectUpstream(tries + 1));
    };
    upstream.once('error', refused);
    upstream.once('connect', () => {
      upstream.off('error', refused);
      state.byTarget[port] += 1;
      resolve(upstream);
    });
  });

  const kill = (socket) => {
    if (socket.destroyed) return;
    if (typeof socket.resetAndDestroy === 'function' && socket.readyState === 'open') socket.resetAndDestroy();
    else socket.destroy();
  };

  /** Forwards src to dst, each chunk no earlier than arrival + delay, in order. */
  const forward = (src, dst, delayed) => {
    let chain = Promise.resolve();
    src.on('data', (chunk) => {
      const due = Date.now() + (delayed ? state.delayMs : 0);
      chain = chain.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (!dst.destroyed) dst.write(chunk);
      });
    });
    src.on('end', () => { chain = chain.then(() => { if (!dst.destroyed) dst.end(); }); });
  };

  const server = net.createServer(async (client) => {
    state.accepted += 1;
    if (state.mode === 'drop') {
      state.reset += 1;
      kill(client);
      return;
    }
    // Nothing the client sends is lost while the upstream is chosen: it waits, paused.
    client.pause();
    client.on('error', () => client.destroy());
    const upstream = await connectUpstream();
    if (!upstream || client.destroyed) {
      upstream?.destroy();
      kill(client);
      return;
    }
    const pair = { client, upstream };
    pairs.add(pair);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    forward(client, upstream, false);
    forward(upstream, client, true);
    client.resume();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address();
  return {
    port,
    state,
    setLatency(ms) {
      state.mode = ms > 0 ? 'latency' : 'pass';
      state.delayMs = ms;
    },
    drop() {
      state.mode = 'drop';
      for (const { client, upstream } of [...pairs]) {
        state.reset += 1;
        kill(client);
        kill(upstream);
      }
    },
    pass() {
      state.mode = 'pass';
      state.delayMs = 0;
    },
    async close() {
      for (const { client, upstream } of [...pairs]) { client.destroy(); upstream.destroy(); }
      await new Promise((r) => server.close(() => r()));
    },
  };
}
