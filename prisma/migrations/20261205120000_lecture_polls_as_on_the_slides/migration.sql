-- Data only, no schema change. The nn-intro lecture's polls now follow its slides (issue 14): Polls 2 and 4–8
-- have new options under old letters (Poll 4's F used to mean 8,624, now "I have no idea"; Poll 2's choice ids
-- were x, w11, … and are A–F), Polls 5 and 6 were numeric and are single choice, Poll 3's traffic data and
-- every practice variant come from lib/nn's generator now. An answer stored before would be read against a
-- question it was not given to. So every such poll that holds answers in its current round is reset, exactly
-- as the instructor's "Reset" does: a new round in DRAFT. The old answers stay stored, in the old round, out of
-- tallies, results and reveals, until the student answers the new question (one row per student and poll).
-- Poll 1's lecture question did not change: only its practice-mode rounds are reset.
UPDATE "Poll" p
SET status = 'DRAFT', round = p.round + 1, "openedAt" = NULL, "closedAt" = NULL, "revealedAt" = NULL, "closesAt" = NULL, "updatedAt" = now()
WHERE (p."itemSlug" IN (
         'poll-2-gradient-descent-updates', 'poll-3-three-neuron-fit', 'poll-4-logistic-regression-parameters',
         'poll-5-output-neuron-parameters', 'poll-6-hidden-neuron-parameters', 'poll-7-line-colours',
         'poll-8-neuron-square-colours')
       OR (p."itemSlug" = 'poll-1-three-neuron-parameters' AND p.practice))
  AND EXISTS (SELECT 1 FROM "PollResponse" r WHERE r."pollId" = p.id AND r.round = p.round);

-- Polls 7 and 8 had no right answer of their own; a key set live named the old options. They now have one
-- (the demo's legend decides it), which the instructor may still change live.
UPDATE "Poll" SET "instructorAnswer" = NULL
WHERE "itemSlug" IN ('poll-7-line-colours', 'poll-8-neuron-square-colours') AND "instructorAnswer" IS NOT NULL;
