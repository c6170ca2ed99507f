// Horizontal bars in plain SVG (no chart library): one row per bar, its share drawn to scale, the figure at
// the end, and an optional note under the label (a mistake's name). Readable without colour: every bar has
// its number.
export type ChartBar = { label: string; share: number; text: string; tone?: "good" | "bad" | "abstain"; note?: string };

export function BarChart({ bars, title }: { bars: ChartBar[]; title: string }) {
  const rowH = 30;
  const labelW = 190;
  const width = 640;
  const barW = width - labelW - 90;
  const height = bars.reduce((h, b) => h + rowH + (b.note ? 14 : 0), 0) + 4;
  let y = 2;
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.text}`).join(", ")}`}>
      {bars.map((b) => {
        const top = y;
        y += rowH + (b.note ? 14 : 0);
        return (
          <g key={b.label} transform={`translate(0 ${top})`}>
            <text x={labelW - 8} y={18} textAnchor="end">
              {b.label.length > 28 ? `${b.label.slice(0, 27)}…` : b.label}
            </text>
            {b.note && (
              <text x={labelW - 8} y={32} textAnchor="end" className="muted-text" fontSize={11}>
                {b.note.length > 32 ? `${b.note.slice(0, 31)}…` : b.note}
              </text>
            )}
            <rect x={labelW} y={5} width={barW} height={18} fill="#f0f2f5" rx={3} />
            <rect className={`bar ${b.tone ?? ""}`} x={labelW} y={5} width={Math.max(1, barW * Math.min(1, Math.max(0, b.share)))} height={18} rx={3} />
            <text x={labelW + barW + 8} y={18}>
              {b.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export const percent = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${Math.round(x * 100)} %`);
export const fixed = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? "—" : x.toFixed(digits));
