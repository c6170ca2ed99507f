-- AlterTable
ALTER TABLE "GradeResult" ADD COLUMN     "contentHash" TEXT;

-- AlterTable
ALTER TABLE "Submission" ADD COLUMN     "idempotencyKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Submission_courseExerciseId_userId_idempotencyKey_key" ON "Submission"("courseExerciseId", "userId", "idempotencyKey");
