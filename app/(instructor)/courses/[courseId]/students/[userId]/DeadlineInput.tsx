"use client";
// A deadline in the viewer's own time zone, sent with the zone's offset (the server action turns it into UTC).
import { useEffect, useState } from "react";

const local = (iso: string | null) => {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

export function DeadlineInput({ id, initial }: { id: string; initial: string | null }) {
  const [value, setValue] = useState("");
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    setValue(local(initial));
    setOffset(new Date().getTimezoneOffset());
  }, [initial]);
  return (
    <>
      <input type="hidden" name="tzOffset" value={offset} />
      <input id={id} name="dueAt" type="datetime-local" value={value} onChange={(e) => setValue(e.target.value)} />
    </>
  );
}
