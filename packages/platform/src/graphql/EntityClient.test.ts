import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EntityClient } from './EntityClient';

/**
 * A subgraph stand-in on a real socket: each request is answered by the next behaviour in the
 * list (`reset` destroys the connection before any answer, `silent` never answers, `answer`
 * returns the entities), so the client's handling of broken connections is seen as it happens.
 */
async function subgraph(behaviours: Array<'reset' | 'silent' | 'answer'>) {
  const seen: string[] = [];
  const requestIds: (string | string[] | undefined)[] = [];
  const server = http.createServer((req, res) => {
    requestIds.push(req.headers['x-request-id']);
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const behaviour = behaviours[seen.length] ?? 'answer';
      seen.push(behaviour);
      if (behaviour === 'reset') req.socket.destroy();
      else if (behaviour === 'answer') {
        const { variables } = JSON.parse(body) as { variables: { representations: Array<{ id: string }> } };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { _entities: variables.representations.map((r) => ({ id: r.id, name: `Profile ${r.id}` })) } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return { url, seen, requestIds, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

describe('EntityClient', () => {
  it("sends the calling request's id, so that the owner logs under the same one", async () => {
    const target = await subgraph(['answer', 'answer']);
    const client = new EntityClient(target.url, 'profile');
    try {
      await client.fetch('Profile', ['p1'], 'id name', { requestId: 'home-visit-7' });
      await client.fetch('Profile', ['p1'], 'id name');
      expect(target.requestIds).toEqual(['home-visit-7', undefined]);
    } finally {
      await client.close();
      await target.close();
    }
  });

  it('sends a lookup once more when the connection breaks before an answer, and gets it', async () => {
    const target = await subgraph(['reset', 'answer']);
    const client = new EntityClient(target.url, 'profile');
    try {
      await expect(client.fetch('Profile', ['p1', 'p2'], 'id name')).resolves.toEqual([
        { id: 'p1', name: 'Profile p1' },
        { id: 'p2', name: 'Profile p2' },
      ]);
      expect(target.seen).toEqual(['reset', 'answer']);
    } finally {
      await client.close();
      await target.close();
    }
  });

  it('gives up after one retry: SUBGRAPH_UNAVAILABLE', async () => {
    const target = await subgraph(['reset', 'reset', 'answer']);
    const client = new EntityClient(target.url, 'profile');
    try {
      await expect(client.fetch('Profile', ['p1'], 'id')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'profile' } });
      expect(target.seen).toEqual(['reset', 'reset']);
    } finally {
      await client.close();
      await target.close();
    }
  });

  it('does not send a timed-out lookup again', async () => {
    const target = await subgraph(['silent', 'answer']);
    const client = new EntityClient(target.url, 'profile', { timeoutMs: 300 });
    try {
      await expect(client.fetch('Profile', ['p1'], 'id')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
      expect(target.seen).toEqual(['silent']);
    } finally {
      await client.close();
      await target.close();
    }
  });
});
