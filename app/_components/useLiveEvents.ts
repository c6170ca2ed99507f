"use client";
// Subscribes to a course's live stream (one per browser, shared by its tabs: ./liveStream.ts). The stream
// reconnects by itself after a drop; each (re)connection calls onOpen so the page refetches whatever it may
// have missed.
import { useEffect, useRef } from "react";
import { listenLive } from "./liveStream";

export type LiveTally = {
  pollId: string;
  total: number;
  round: number;
  bars: { key: string; label: string; count: number; correct?: boolean; mistake?: string; abstain?: true }[];
  best: { value: number; name: string | null }[];
  stats?: { mean: number; median: number; min: number; max: number };
};

/** What the presenter view of a lecture shows (lib/polls/wall.ts). */
export type LiveWall = { pollId: string | null; results: boolean; names: boolean; demo: boolean };

export type LiveHandlers = {
  onPoll?: (event: { pollId: string; status: string; round: number }) => void;
  onTally?: (event: { pollId: string; tally: LiveTally }) => void;
  onWall?: (event: { lectureId: string; wall: LiveWall }) => void;
  onOpen?: () => void;
};

const EVENTS = ["poll", "tally", "wall", "resync"];

export function useLiveEvents(courseId: string, handlers: LiveHandlers) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(
    () =>
      listenLive(courseId, EVENTS, (name, data) => {
        const h = latest.current;
        if (name === "open" || name === "resync") return h.onOpen?.();
        const event = data ? JSON.parse(data) : null;
        if (name === "poll") h.onPoll?.(event);
        else if (name === "tally") h.onTally?.(event);
        else if (name === "wall") h.onWall?.(event);
      }),
    [courseId],
  );
}
