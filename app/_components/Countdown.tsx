"use client";
// Time left until a poll's countdown ends, ticking on the phone and on the projector.
import { useEffect, useState } from "react";

export function Countdown({ until }: { until: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.ceil((new Date(until).getTime() - now) / 1000));
  return (
    <span className="badge countdown" aria-label={`${left} seconds left`}>
      {Math.floor(left / 60)}:{String(left % 60).padStart(2, "0")}
    </span>
  );
}
