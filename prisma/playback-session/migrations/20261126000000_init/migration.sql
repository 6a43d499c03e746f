-- CreateTable
CREATE TABLE "viewing_progress" (
    "profile_id" TEXT NOT NULL,
    "content_id" TEXT NOT NULL,
    "title_id" TEXT NOT NULL,
    "episode_id" TEXT,
    "position_seconds" INTEGER NOT NULL,
    "duration_seconds" INTEGER NOT NULL,
    "completed" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "viewing_progress_pkey" PRIMARY KEY ("profile_id","content_id")
);

-- CreateIndex
CREATE INDEX "viewing_progress_profile_id_title_id_updated_at_idx" ON "viewing_progress"("profile_id", "title_id", "updated_at");

-- CreateIndex
CREATE INDEX "viewing_progress_profile_id_updated_at_idx" ON "viewing_progress"("profile_id", "updated_at");
