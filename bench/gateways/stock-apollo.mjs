// Stock Apollo Gateway, the baseline a team starts from: ApolloGateway({ supergraphSdl }) with its
// default RemoteGraphQLDataSource, ApolloServer with default settings. The subgraph URLs come from
// the supergraph file the bench composed (pointing at the subgraphs it started).
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const supergraphSdl = readFileSync(process.env.SUPERGRAPH_PATH, 'utf8');
const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT), host: '127.0.0.1' } });
console.log(`stock apollo gateway ready at ${url}`);
const stop = async () => { await server.stop(); process.exit(0); };
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
