import { defineConfig } from 'prisma/config';

// For the Prisma CLI, where it works (it downloads a native schema engine first):
//   RECOMMENDATION_DATABASE_URL=postgres://... npx prisma migrate deploy --config prisma/recommendation/prisma.config.ts
// The service applies these same migrations itself at start (packages/platform/src/store/migrate.ts).
// process.env rather than env(): env() throws when the variable is unset, even for generate.
export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.RECOMMENDATION_DATABASE_URL ?? '' },
});
