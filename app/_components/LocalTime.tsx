"use client";
// A date and time in the reader's own time zone, with the zone named ("3 Dec 2026, 14:05 CET"): deadlines,
// drafts and results mean what the clock on the wall says. The server cannot know the zone, so the first
// render (and a browser without scripts) shows UTC, named as such; the browser then shows its own.
import { useEffect, useState } from "react";

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

export function localTime(iso: string, style: "full" | "time" = "full"): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return style === "time"
    ? date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" })
    : // (dateStyle and timeStyle cannot be combined with timeZoneName)
      date.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
}

export function LocalTime({ iso, style = "full" }: { iso: string; style?: "full" | "time" }) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => setText(localTime(iso, style)), [iso, style]);
  return (
    <time dateTime={iso} title={utc(iso)} data-local={text ? "" : undefined}>
      {text ?? utc(iso)}
    </time>
  );
}
