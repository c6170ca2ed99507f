/** What the store and the tallies call an abstention (a PollResponse label, a practice histogram's bar). */
export const ABSTAIN_LABEL = "I have no idea";
