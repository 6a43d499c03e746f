-- A kids profile is rated SEVEN_PLUS or below. ProfileRepository.update checks it on the locked
-- row inside the transaction of the write, and this constraint is the last line, should any write
-- path ever skip that check. (The Prisma schema cannot declare a CHECK constraint, so it lives
-- only here: `npm run schema:drift` does not compare CHECK constraints.)

-- Rows from before the check (the race it fixes could leave one) are made safe, not adult.
UPDATE "profiles" SET "maturity_rating" = 'SEVEN_PLUS' WHERE "is_kids" AND "maturity_rating" NOT IN ('ALL', 'SEVEN_PLUS');

ALTER TABLE "profiles" ADD CONSTRAINT "profiles_kids_rating_check" CHECK (NOT "is_kids" OR "maturity_rating" IN ('ALL', 'SEVEN_PLUS'));
