// Horizontal bars as a list laid out by CSS grid (no chart library, no SVG text to truncate): one row per bar,
// its label (plain text, or HTML with KaTeX for check and mistake titles) with an optional note under it (a
// mistake's name), the bar to scale, and its figure. Labels wrap instead of being cut; on a phone the label
// goes above its bar. Readable without colour: every bar has its number, and screen readers read a list.
export type ChartBar = { label: string; labelHtml?: string; share: number; text: string; tone?: "good" | "bad" | "abstain"; note?: string };

export function BarChart({ bars, title }: { bars: ChartBar[]; title: string }) {
  return (
    <ul className="bar-chart" aria-label={title}>
      {bars.map((b, i) => (
        <li key={`${i}:${b.label}`} className="bar-row">
          <span className="bar-label">
            {b.labelHtml ? <span dangerouslySetInnerHTML={{ __html: b.labelHtml }} /> : b.label}
            {b.note && <span className="bar-note">{b.note}</span>}
          </span>
          <span className="bar-track" aria-hidden="true">
            <span className={`bar-fill ${b.tone ?? ""}`} style={{ width: `${Math.round(1000 * Math.min(1, Math.max(0, b.share))) / 10}%` }} />
          </span>
          <span className="bar-value">{b.text}</span>
        </li>
      ))}
    </ul>
  );
}

export const percent = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${Math.round(x * 100)} %`);
export const fixed = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? "—" : x.toFixed(digits));
