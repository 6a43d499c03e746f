-- CreateEnum
CREATE TYPE "MaturityRating" AS ENUM ('ALL', 'SEVEN_PLUS', 'THIRTEEN_PLUS', 'SIXTEEN_PLUS', 'EIGHTEEN_PLUS');

-- CreateTable
CREATE TABLE "genre_features" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "genre_features_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "title_features" (
    "title_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "maturity_rating" "MaturityRating" NOT NULL,
    "release_year" INTEGER NOT NULL,
    "added_at" TIMESTAMP(3) NOT NULL,
    "genre_ids" TEXT[],
    "popularity" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "title_features_pkey" PRIMARY KEY ("title_id")
);

-- CreateTable
CREATE TABLE "country_views" (
    "title_id" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "views" INTEGER NOT NULL,
    "trending_score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "country_views_pkey" PRIMARY KEY ("title_id","country")
);

-- CreateTable
CREATE TABLE "title_similarities" (
    "title_id" TEXT NOT NULL,
    "similar_title_id" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "title_similarities_pkey" PRIMARY KEY ("title_id","similar_title_id")
);

-- CreateTable
CREATE TABLE "watch_activity" (
    "profile_id" TEXT NOT NULL,
    "title_id" TEXT NOT NULL,
    "last_watched_at" TIMESTAMP(3) NOT NULL,
    "completed" BOOLEAN NOT NULL,

    CONSTRAINT "watch_activity_pkey" PRIMARY KEY ("profile_id","title_id")
);

-- CreateIndex
CREATE INDEX "country_views_country_views_idx" ON "country_views"("country", "views");

-- CreateIndex
CREATE INDEX "title_similarities_title_id_score_idx" ON "title_similarities"("title_id", "score");

-- CreateIndex
CREATE INDEX "watch_activity_profile_id_last_watched_at_idx" ON "watch_activity"("profile_id", "last_watched_at");

-- AddForeignKey
ALTER TABLE "country_views" ADD CONSTRAINT "country_views_title_id_fkey" FOREIGN KEY ("title_id") REFERENCES "title_features"("title_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "title_similarities" ADD CONSTRAINT "title_similarities_title_id_fkey" FOREIGN KEY ("title_id") REFERENCES "title_features"("title_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "title_similarities" ADD CONSTRAINT "title_similarities_similar_title_id_fkey" FOREIGN KEY ("similar_title_id") REFERENCES "title_features"("title_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "watch_activity" ADD CONSTRAINT "watch_activity_title_id_fkey" FOREIGN KEY ("title_id") REFERENCES "title_features"("title_id") ON DELETE CASCADE ON UPDATE CASCADE;
