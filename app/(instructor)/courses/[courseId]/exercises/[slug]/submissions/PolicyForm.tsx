"use client";
// An exercise's policies. Keeps what was typed when refused, with every field at fault marked at once; after a
// save it shows what was saved (the deadline in the instructor's own zone).
import { useEffect, useState } from "react";
import type { Policies } from "@/lib/submissions";
import { FormAnswer, useKeptForm, type FormState } from "@/app/_components/ActionForm";

const LABELS: Record<string, string> = {
  dueAt: "Deadline",
  latePolicy: "Late submissions",
  maxAttempts: "Maximum attempts",
  rateBurst: "Burst",
  ratePerMinute: "Refill per minute",
};

/** The deadline as the instructor's local "YYYY-MM-DDTHH:mm" for the datetime-local input. */
function localInput(iso: string | null) {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function PolicyForm({ policies, action }: { policies: Policies; action: (prev: FormState, form: FormData) => Promise<FormState> }) {
  const { state, pending, formProps } = useKeptForm(action);
  // The browser's zone is only known after hydration.
  const [due, setDue] = useState("");
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    setDue(localInput(policies.dueAt));
    setOffset(new Date().getTimezoneOffset());
  }, [policies.dueAt]);
  return (
    <form {...formProps} data-testid="policy-form">
      <input type="hidden" name="tzOffset" value={offset} />
      <div className="policy-form">
        <div>
          <label htmlFor="dueAt">Deadline (your time)</label>
          <input id="dueAt" name="dueAt" type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
        </div>
        <div>
          <label htmlFor="latePolicy">Late submissions</label>
          <select id="latePolicy" name="latePolicy" defaultValue={policies.latePolicy}>
            <option value="ACCEPT_FLAGGED">Accept and flag</option>
            <option value="REFUSE">Refuse</option>
          </select>
        </div>
        <div>
          <label htmlFor="scoreRule">Which attempt counts</label>
          <select id="scoreRule" name="scoreRule" defaultValue={policies.scoreRule}>
            <option value="BEST">The best</option>
            <option value="LATEST">The latest graded</option>
          </select>
        </div>
        <div>
          <label htmlFor="latePenaltyPercentPerDay">Late penalty (% per day late)</label>
          <input id="latePenaltyPercentPerDay" name="latePenaltyPercentPerDay" type="number" min={0} max={100} step="any" defaultValue={policies.latePenaltyPercentPerDay} />
        </div>
        <div>
          <label htmlFor="maxAttempts">Maximum attempts (empty: no limit)</label>
          <input id="maxAttempts" name="maxAttempts" type="number" min={1} defaultValue={policies.maxAttempts ?? ""} />
        </div>
        <div>
          <label htmlFor="rateBurst">Burst (submissions at once)</label>
          <input id="rateBurst" name="rateBurst" type="number" min={1} defaultValue={policies.rateBurst} />
        </div>
        <div>
          <label htmlFor="ratePerMinute">Refill per minute</label>
          <input id="ratePerMinute" name="ratePerMinute" type="number" min={0.1} step="any" defaultValue={policies.ratePerMinute} />
        </div>
        <div>
          <button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save policies"}
          </button>
        </div>
      </div>
      <FormAnswer state={state} labels={LABELS} />
    </form>
  );
}
