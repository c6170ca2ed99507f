// A poll's life: DRAFT → OPEN → CLOSED → REVEALED, with reset back to DRAFT (a new round) from anywhere.
// Pure: which action is allowed from which status, and what it changes.
import type { PollStatus } from "@/generated/prisma/enums";

export const POLL_ACTIONS = ["open", "close", "reveal", "reset"] as const;
export type PollAction = (typeof POLL_ACTIONS)[number];

const FROM: Record<PollAction, readonly PollStatus[]> = {
  open: ["DRAFT", "CLOSED"], // reopening a closed poll keeps its answers; reset starts over
  close: ["OPEN"],
  reveal: ["OPEN", "CLOSED"], // revealing an open poll closes it first
  reset: ["DRAFT", "OPEN", "CLOSED", "REVEALED"],
};

const TO: Record<PollAction, PollStatus> = { open: "OPEN", close: "CLOSED", reveal: "REVEALED", reset: "DRAFT" };

export class PollStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PollStateError";
  }
}

const STATUS_WORDS: Record<PollStatus, string> = { DRAFT: "not open yet", OPEN: "open", CLOSED: "closed", REVEALED: "revealed" };

export function transition(current: PollStatus, action: PollAction): PollStatus {
  if (!FROM[action].includes(current)) {
    throw new PollStateError(`Cannot ${action} a poll that is ${STATUS_WORDS[current]}.`);
  }
  return TO[action];
}

/** The column changes an action makes, given the current round. */
export function changesFor(action: PollAction, current: { status: PollStatus; round: number }, now: Date, countdownSeconds?: number) {
  switch (action) {
    case "open":
      return { status: "OPEN" as const, openedAt: now, closedAt: null, revealedAt: null, closesAt: countdownSeconds ? new Date(now.getTime() + countdownSeconds * 1000) : null };
    case "close":
      return { status: "CLOSED" as const, closedAt: now, closesAt: null };
    case "reveal":
      return { status: "REVEALED" as const, revealedAt: now, closesAt: null, ...(current.status === "OPEN" && { closedAt: now }) };
    case "reset":
      return { status: "DRAFT" as const, round: current.round + 1, openedAt: null, closedAt: null, revealedAt: null, closesAt: null };
  }
}
