-- DropIndex
DROP INDEX "Submission_status_createdAt_idx";

-- AlterTable
ALTER TABLE "Submission" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "progress" JSONB,
ADD COLUMN     "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "Submission_status_priority_queuedAt_idx" ON "Submission"("status", "priority", "queuedAt");
