// Stock Apollo Gateway, the baseline a team starts from: ApolloGateway({ supergraphSdl }) with its
// default RemoteGraphQLDataSource, ApolloServer with default settings. The subgraph URLs come from
// the supergraph file the bench composed (pointing at the subgraphs it started). The one addition
// every gateway needs now that clients authenticate: the Authorization header goes on to the
// subgraphs (which verify it), and so does the deployment's internal credential.
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { internalCredentialHeaders } from './internalCredential.mjs';

const supergraphSdl = readFileSync(process.env.SUPERGRAPH_PATH, 'utf8');
class ForwardingDataSource extends RemoteGraphQLDataSource {
  constructor(options, subgraph) {
    super(options);
    this.subgraph = subgraph;
  }

  willSendRequest({ request, context }) {
    if (context?.authorization) request.http.headers.set('authorization', context.authorization);
    for (const [name, value] of Object.entries(internalCredentialHeaders(this.subgraph))) request.http.headers.set(name, value);
  }
}
const gateway = new ApolloGateway({ supergraphSdl, buildService: ({ name, url }) => new ForwardingDataSource({ url }, name) });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT), host: '127.0.0.1' },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
console.log(`stock apollo gateway ready at ${url}`);
const stop = async () => { await server.stop(); process.exit(0); };
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
