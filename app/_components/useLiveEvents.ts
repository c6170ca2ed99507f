"use client";
// Subscribes to a course's live stream. EventSource reconnects by itself after a drop; each (re)connection
// calls onOpen so the page refetches whatever it may have missed.
import { useEffect, useRef } from "react";

export type LiveHandlers = {
  onPoll?: (event: { pollId: string; status: string; round: number }) => void;
  onTally?: (event: { pollId: string; tally: { total: number; round: number; bars: { key: string; label: string; count: number; correct?: boolean; mistake?: string }[]; best: { value: number; name: string | null }[]; stats?: { mean: number; median: number; min: number; max: number } } }) => void;
  onOpen?: () => void;
};

export function useLiveEvents(courseId: string, handlers: LiveHandlers) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const source = new EventSource(`/api/courses/${courseId}/live`);
    const parse = (fn?: (data: never) => void) => (e: MessageEvent) => fn?.(JSON.parse(e.data) as never);
    source.addEventListener("poll", parse((d) => latest.current.onPoll?.(d)));
    source.addEventListener("tally", parse((d) => latest.current.onTally?.(d)));
    source.addEventListener("resync", () => latest.current.onOpen?.());
    source.addEventListener("open", () => latest.current.onOpen?.());
    return () => source.close();
  }, [courseId]);
}
