# One image for the gateway and the four subgraphs; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/platform/package.json packages/platform/
COPY packages/demo-data/package.json packages/demo-data/
COPY packages/testing/package.json packages/testing/
COPY packages/embedded/package.json packages/embedded/
COPY packages/client-tools/package.json packages/client-tools/
COPY bench/package.json bench/
COPY subgraphs/profile/package.json subgraphs/profile/
COPY subgraphs/catalog/package.json subgraphs/catalog/
COPY subgraphs/playback-session/package.json subgraphs/playback-session/
COPY subgraphs/recommendation/package.json subgraphs/recommendation/
COPY gateway/package.json gateway/
COPY scripts scripts
COPY codegen.yml ./
COPY prisma prisma
COPY subgraphs/profile/schema.graphql subgraphs/profile/
COPY subgraphs/catalog/schema.graphql subgraphs/catalog/
COPY subgraphs/playback-session/schema.graphql subgraphs/playback-session/
COPY subgraphs/recommendation/schema.graphql subgraphs/recommendation/
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=build /app/packages/platform/package.json packages/platform/
COPY --from=build /app/packages/demo-data/package.json packages/demo-data/
COPY --from=build /app/packages/testing/package.json packages/testing/
COPY --from=build /app/packages/embedded/package.json packages/embedded/
COPY --from=build /app/packages/client-tools/package.json packages/client-tools/
COPY --from=build /app/bench/package.json bench/
COPY --from=build /app/subgraphs/profile/package.json subgraphs/profile/
COPY --from=build /app/subgraphs/catalog/package.json subgraphs/catalog/
COPY --from=build /app/subgraphs/playback-session/package.json subgraphs/playback-session/
COPY --from=build /app/subgraphs/recommendation/package.json subgraphs/recommendation/
COPY --from=build /app/gateway/package.json gateway/
# The Prisma clients were generated and compiled in the build stage; no scripts needed here.
RUN npm ci --omit=dev --ignore-scripts
COPY --from=build /app/packages/platform/dist packages/platform/dist
# Seeds write the demo dataset on a first start with SEED_IF_EMPTY=true.
COPY --from=build /app/packages/demo-data/dist packages/demo-data/dist
COPY --from=build /app/subgraphs subgraphs
COPY --from=build /app/gateway/dist gateway/dist
COPY --from=build /app/gateway/supergraph.graphql gateway/
COPY --from=build /app/gateway/persisted-query-manifest.json gateway/
COPY --from=build /app/prisma prisma
USER node
CMD ["node", "gateway/dist/index.js"]
