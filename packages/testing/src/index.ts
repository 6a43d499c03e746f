export * from './testDatabases';
export { TcpProxy } from './tcpProxy';
export { postGraphQL, type GraphQLResponse } from './graphqlClient';
export { deleteRedisKeys, deleteTestKeys } from './testRedisKeys';
