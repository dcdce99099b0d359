"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartRow {
  label: string;
  values: Record<string, number>;
  /** Where a click on a segment goes (the review table filtered to it), per series. */
  links?: Record<string, string>;
}
export interface ChartSeries {
  key: string;
  name: string;
  color: string;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** One line per category label, clipped, with the full text as a tooltip. */
function AxisLabel(props: { x?: number | string; y?: number | string; payload?: { value?: unknown } }) {
  const full = String(props.payload?.value ?? "");
  return (
    <text x={Number(props.x)} y={Number(props.y)} dy={4} textAnchor="end" fontSize={11} fill="#334155">
      <title>{full}</title>
      {clip(full, 36)}
    </text>
  );
}

/**
 * Horizontal stacked bars, one bar per row (a task), one segment per series (a defect or a review
 * status). Plain data in, so the server page can feed it; clicking a segment opens its link.
 */
export function StackedBarChart(props: {
  title: string;
  description: string;
  rows: ChartRow[];
  series: ChartSeries[];
  /** "%": values are shares in [0, 1] shown as percentages; "": counts. */
  unit: "%" | "";
}) {
  const router = useRouter();
  const data = props.rows.map((r, i) => ({
    __i: i,
    label: r.label,
    ...Object.fromEntries(
      props.series.map((s) => [
        s.key,
        props.unit === "%" ? (r.values[s.key] ?? 0) * 100 : (r.values[s.key] ?? 0),
      ]),
    ),
  }));
  const height = Math.max(160, props.rows.length * 26 + 90);
  const fmt = (v: unknown) =>
    typeof v === "number" ? (props.unit === "%" ? `${v.toFixed(1)}%` : v.toLocaleString("en-US")) : String(v);
  return (
    <figure
      className="rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby={`${props.title}-caption`}
    >
      <figcaption id={`${props.title}-caption`} className="mb-1 text-sm font-semibold text-slate-700">
        {props.title}
      </figcaption>
      <p className="mb-3 text-xs text-slate-500">{props.description}</p>
      <div role="img" aria-label={`${props.title} (chart)`}>
        <BarChart
          responsive
          layout="vertical"
          data={data}
          style={{ width: "100%", height }}
          margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
        >
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e2e8f0" />
          <XAxis
            type="number"
            tickFormatter={(v: number) => (props.unit === "%" ? `${v}%` : v.toLocaleString("en-US"))}
            tick={{ fontSize: 11, fill: "#64748b" }}
          />
          <YAxis type="category" dataKey="label" width={240} interval={0} tick={AxisLabel} />
          <Tooltip formatter={fmt} wrapperStyle={{ fontSize: 12, maxWidth: 360, whiteSpace: "normal" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {props.series.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stackId="stack"
              fill={s.color}
              isAnimationActive={false}
              cursor="pointer"
              onClick={(item) => {
                const i = (item.payload as { __i?: number } | undefined)?.__i;
                const href = i === undefined ? undefined : props.rows[i]?.links?.[s.key];
                if (href) router.push(href);
              }}
            />
          ))}
        </BarChart>
      </div>
    </figure>
  );
}
