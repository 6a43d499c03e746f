-- Title search (TitleRepository.searchIds): names that start with the query first, then names
-- that contain it. pg_trgm ships with Postgres (contrib) and with PGlite (loaded by openStore).
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- Contains, case-insensitive (name ILIKE '%query%'): trigram GIN, usable from 3 characters.
CREATE INDEX "titles_name_idx" ON "titles" USING GIN ("name" gin_trgm_ops);

-- Starts with, case-insensitive (lower(name) LIKE 'query%'), at any length. An expression index,
-- which schema.prisma can't declare; Prisma's schema diff leaves it alone.
CREATE INDEX "titles_name_prefix_idx" ON "titles" (lower("name") text_pattern_ops);
