-- Title search (TitleRepository.searchStatement): names that start with the query first, then
-- names that contain it. pg_trgm ships with Postgres (contrib) and with PGlite (openStore loads it).
-- No semicolons in these comments: the Prisma schema engine splits statements on every one.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- Contains, case-insensitive (name ILIKE with a pattern like %query%): trigram GIN, from 3 characters.
CREATE INDEX "titles_name_idx" ON "titles" USING GIN ("name" gin_trgm_ops);

-- Starts with, case-insensitive (lower(name) LIKE with a pattern like query%), at any length. An
-- expression index, which schema.prisma cannot declare (the Prisma schema diff leaves it alone).
CREATE INDEX "titles_name_prefix_idx" ON "titles" (lower("name") text_pattern_ops);
