-- The presenter view's state per lecture, and quick polls typed during a lecture (no folder under exercises/).
ALTER TABLE "Lecture" ADD COLUMN "wall" JSONB;
ALTER TABLE "Poll" ADD COLUMN "quick" JSONB;
