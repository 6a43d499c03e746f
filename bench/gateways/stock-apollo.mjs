// Stock Apollo Gateway, the baseline a team starts from: ApolloGateway({ supergraphSdl }) with its
// default RemoteGraphQLDataSource, ApolloServer with default settings. The subgraph URLs come from
// the supergraph file the bench composed (pointing at the subgraphs it started). The one addition
// every gateway needs now that clients authenticate: the Authorization header goes on to the
// subgraphs (which verify it).
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const supergraphSdl = readFileSync(process.env.SUPERGRAPH_PATH, 'utf8');
class ForwardingDataSource extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    if (context?.authorization) request.http.headers.set('authorization', context.authorization);
  }
}
const gateway = new ApolloGateway({ supergraphSdl, buildService: ({ url }) => new ForwardingDataSource({ url }) });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT), host: '127.0.0.1' },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
console.log(`stock apollo gateway ready at ${url}`);
const stop = async () => { await server.stop(); process.exit(0); };
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
