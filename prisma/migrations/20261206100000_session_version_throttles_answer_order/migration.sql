-- AlterTable
ALTER TABLE "PollResponse" ADD COLUMN     "device" TEXT,
ADD COLUMN     "seq" INTEGER;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Throttle" (
    "key" TEXT NOT NULL,
    "level" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "blockedUntil" TIMESTAMP(3),

    CONSTRAINT "Throttle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Throttle_updatedAt_idx" ON "Throttle"("updatedAt");

