-- A sign-in of its own (sign_ins), whose row rotation and revocation both lock: revoking a family
-- with UPDATE ... WHERE revoked_at IS NULL over its tokens could miss a successor a concurrent
-- rotation committed. Revocation moves from each token to the sign-in.

-- CreateTable
CREATE TABLE "sign_ins" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "sign_ins_pkey" PRIMARY KEY ("id")
);

-- Backfill: one sign-in per existing family. A family with any revoked token is revoked:
-- revocation was never meant to be partial (a token it missed is the defect this fixes).
INSERT INTO "sign_ins" ("id", "account_id", "created_at", "expires_at", "revoked_at")
SELECT "family_id", min("account_id"), min("created_at"), max("expires_at"), max("revoked_at")
FROM "refresh_tokens"
GROUP BY "family_id";

-- DropForeignKey
ALTER TABLE "refresh_tokens" DROP CONSTRAINT "refresh_tokens_account_id_fkey";

-- DropIndex
DROP INDEX "refresh_tokens_account_id_idx";

-- AlterTable
ALTER TABLE "refresh_tokens" DROP COLUMN "account_id",
DROP COLUMN "revoked_at",
ADD COLUMN     "successor_salt" TEXT;

-- CreateIndex
CREATE INDEX "sign_ins_account_id_idx" ON "sign_ins"("account_id");

-- CreateIndex
CREATE INDEX "sign_ins_expires_at_idx" ON "sign_ins"("expires_at");

-- CreateIndex
CREATE INDEX "sign_ins_revoked_at_idx" ON "sign_ins"("revoked_at");

-- CreateIndex
CREATE INDEX "refresh_tokens_expires_at_idx" ON "refresh_tokens"("expires_at");

-- AddForeignKey
ALTER TABLE "sign_ins" ADD CONSTRAINT "sign_ins_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_family_id_fkey" FOREIGN KEY ("family_id") REFERENCES "sign_ins"("id") ON DELETE CASCADE ON UPDATE CASCADE;
