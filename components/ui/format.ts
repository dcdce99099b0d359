const nf = new Intl.NumberFormat("en-US");
export const fmtInt = (n: number) => nf.format(n);
export const fmtDate = (d: Date | string | null | undefined) =>
  d ? new Date(d).toISOString().replace("T", " ").slice(0, 16) : "—";
/** "1 record", "2,000 records". */
export const plural = (n: number, word: string) => `${fmtInt(n)} ${word}${n === 1 ? "" : "s"}`;
