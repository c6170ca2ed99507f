-- AlterTable
ALTER TABLE "PollResponse" ADD COLUMN     "label" TEXT,
ADD COLUMN     "value" DOUBLE PRECISION;

-- CreateIndex
CREATE INDEX "PollResponse_pollId_round_idx" ON "PollResponse"("pollId", "round");
