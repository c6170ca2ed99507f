-- The gradebook (issue 16). Additive: new columns with defaults, new tables, and one wider unique key.
-- A poll response is now one row per (poll, student, round) instead of per (poll, student), so that a reset
-- keeps the earlier rounds' answers instead of overwriting them when the student answers again. Existing rows
-- are unique per (poll, student) already, hence per (poll, student, round): nothing to rewrite.
-- CreateEnum
CREATE TYPE "ScoreRule" AS ENUM ('BEST', 'LATEST');

-- AlterTable
ALTER TABLE "Course" ADD COLUMN     "gradeSettings" JSONB;

-- AlterTable
ALTER TABLE "CourseExercise" ADD COLUMN     "latePenaltyPercentPerDay" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "scoreRule" "ScoreRule" NOT NULL DEFAULT 'BEST';

-- AlterTable
ALTER TABLE "Enrollment" ADD COLUMN     "lmsId" TEXT;

-- AlterTable
ALTER TABLE "Poll" ADD COLUMN     "countedRound" INTEGER;

-- AlterTable
ALTER TABLE "PollResponse" ADD COLUMN     "anonymous" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "contentHash" TEXT,
ADD COLUMN     "earlierAnswers" JSONB,
ADD COLUMN     "firstAnswerMs" DOUBLE PRECISION,
ADD COLUMN     "variantParams" JSONB;

-- CreateTable
CREATE TABLE "DeadlineExtension" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "courseExerciseId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "comment" TEXT NOT NULL,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeadlineExtension_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoreOverride" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "courseId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "itemKey" TEXT NOT NULL,
    "score" DOUBLE PRECISION,
    "comment" TEXT NOT NULL,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScoreOverride_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DeadlineExtension_courseExerciseId_userId_key" ON "DeadlineExtension"("courseExerciseId", "userId");

-- CreateIndex
CREATE INDEX "ScoreOverride_courseId_userId_itemKey_createdAt_idx" ON "ScoreOverride"("courseId", "userId", "itemKey", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PollResponse_pollId_userId_round_key" ON "PollResponse"("pollId", "userId", "round");

-- AddForeignKey
ALTER TABLE "DeadlineExtension" ADD CONSTRAINT "DeadlineExtension_courseExerciseId_fkey" FOREIGN KEY ("courseExerciseId") REFERENCES "CourseExercise"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeadlineExtension" ADD CONSTRAINT "DeadlineExtension_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreOverride" ADD CONSTRAINT "ScoreOverride_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreOverride" ADD CONSTRAINT "ScoreOverride_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- DropIndex (after its wider replacement exists)
DROP INDEX "PollResponse_pollId_userId_key";

-- Answers already stored for a poll that is anonymous now are taken as given anonymously (the safe side: an
-- earlier switch was not recorded).
UPDATE "PollResponse" r SET anonymous = true FROM "Poll" p WHERE p.id = r."pollId" AND p.anonymous;
