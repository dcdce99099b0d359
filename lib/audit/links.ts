/** Filters of the review table (`/datasets/{id}?…`); every key may repeat. */
export interface ReviewFilter {
  status?: string;
  task?: string | null;
  family?: string;
  /** Language; "und" for records without one. */
  lang?: string;
  defect?: string;
  sample?: number;
}

/**
 * The review table filtered to one cell of the audit. Null when the cell cannot be expressed as a
 * filter (records without a task).
 */
export function reviewHref(datasetId: number, filter: ReviewFilter): string | null {
  if (filter.task === null) return null;
  const p = new URLSearchParams();
  if (filter.sample !== undefined) p.append("sample", String(filter.sample));
  if (filter.status) p.append("status", filter.status);
  if (filter.task !== undefined) p.append("task", filter.task);
  if (filter.family) p.append("family", filter.family);
  if (filter.lang) p.append("lang", filter.lang);
  if (filter.defect) p.append("defect", filter.defect);
  const q = p.toString();
  return `/datasets/${datasetId}${q ? `?${q}` : ""}`;
}

/** The review-table filter key of an audit dimension. */
export const FILTER_KEY = { task: "task", family: "family", language: "lang" } as const;
