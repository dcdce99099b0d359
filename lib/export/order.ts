/**
 * Export order, batches and the train/dev split, computed on (id, task) pairs only — never on
 * whole records, so ordering a million records costs a few tens of MB. Deterministic for a seed:
 * the same ids, tasks and options give the same order on any machine.
 *
 * - `plain`: id order.
 * - `task-homogeneous` (SFR, Linq): each task's records shuffled and cut into batches of
 *   `batchSize`; every batch holds one task; the batches of all tasks are shuffled together, so
 *   tasks interleave batch by batch. Smaller last batches of a task go after every full batch (so
 *   full batches stay aligned to multiples of batchSize) or are dropped.
 * - `homogeneous-then-mixed` (Linq): `mixedFraction` of each task's records is set aside; the rest
 *   runs task by task (tasks in seeded order, each task's batches together), then the set-aside
 *   records follow shuffled across tasks.
 */
import { mulberry32 } from "@/lib/audit/prng";
import type { ExportOptions } from "./options";

/** The seeded PRNG of the shuffles and splits (mulberry32, shared with the audit sampler). */
export const rng = mulberry32;

/** A 32-bit hash of (seed, id): where an id falls in the split, independent of every other id. */
export function idHash(seed: number, id: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  const lo = id >>> 0;
  const hi = Math.floor(id / 4294967296) >>> 0;
  for (const v of [lo, hi]) {
    h = Math.imul(h ^ v, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export function shuffle<T>(a: T[], random: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** (id, task) pairs collected from the database, tasks interned (a million ids ≈ 12 MB). */
export class IdTaskList {
  ids: number[] = [];
  taskOf: number[] = [];
  tasks: string[] = [];
  private index = new Map<string, number>();

  add(id: number, task: string): void {
    let t = this.index.get(task);
    if (t === undefined) {
      t = this.tasks.length;
      this.tasks.push(task);
      this.index.set(task, t);
    }
    this.ids.push(id);
    this.taskOf.push(t);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Positions grouped by task, tasks sorted by name, positions in id order within each. */
  groups(positions?: readonly number[]): { task: number; positions: number[] }[] {
    const by = new Map<number, number[]>();
    const list = positions ?? this.ids.map((_, i) => i);
    for (const p of list) {
      const t = this.taskOf[p]!;
      let g = by.get(t);
      if (!g) {
        g = [];
        by.set(t, g);
      }
      g.push(p);
    }
    const out = [...by.entries()].map(([task, positions]) => ({
      task,
      positions: positions.sort((a, b) => this.ids[a]! - this.ids[b]!),
    }));
    return out.sort((a, b) => (this.tasks[a.task]! < this.tasks[b.task]! ? -1 : 1));
  }
}

export interface Split {
  name: "all" | "train" | "dev";
  /** Ids in export order. */
  ids: number[];
  /** Batches of one task each, at the start of `ids` (each exactly batchSize long), when batched. */
  fullBatches: number;
  /** Records in smaller task batches after the full ones (or dropped: see `dropped`). */
  partialRecords: number;
  /** Records left out by partialBatches: "drop". */
  dropped: number;
  /** homogeneous-then-mixed: records in the mixed tail. */
  mixedRecords: number;
}

/** The dev positions of a list: per task, the round(n × devFraction) ids with the lowest seeded hash. */
export function splitDev(
  list: IdTaskList,
  seed: number,
  devFraction: number,
): { train: number[]; dev: number[] } {
  const train: number[] = [];
  const dev: number[] = [];
  for (const g of list.groups()) {
    const n = Math.round(g.positions.length * devFraction);
    if (n === 0) {
      train.push(...g.positions);
      continue;
    }
    const ranked = g.positions
      .map((p) => ({ p, h: idHash(seed, list.ids[p]!) }))
      .sort((a, b) => a.h - b.h || list.ids[a.p]! - list.ids[b.p]!);
    for (let i = 0; i < ranked.length; i++) (i < n ? dev : train).push(ranked[i]!.p);
  }
  return { train, dev };
}

type OrderOptions = Pick<
  ExportOptions,
  "order" | "batchSize" | "mixedFraction" | "partialBatches" | "seed" | "devFraction"
>;

/** Orders the positions of one split. */
export function orderSplit(
  list: IdTaskList,
  positions: readonly number[],
  o: OrderOptions,
  name: Split["name"],
  seedOffset = 0,
): Split {
  const random = rng(o.seed + seedOffset);
  const idsOf = (ps: readonly number[]) => ps.map((p) => list.ids[p]!);
  const empty = { fullBatches: 0, partialRecords: 0, dropped: 0, mixedRecords: 0 };
  if (o.order === "plain") {
    return { name, ids: idsOf(positions).sort((a, b) => a - b), ...empty };
  }
  const groups = list.groups(positions);
  for (const g of groups) shuffle(g.positions, random);

  const cut = (ps: number[]) => {
    const full: number[][] = [];
    let partial: number[] | null = null;
    for (let i = 0; i < ps.length; i += o.batchSize) {
      const b = ps.slice(i, i + o.batchSize);
      if (b.length === o.batchSize) full.push(b);
      else partial = b;
    }
    return { full, partial };
  };

  if (o.order === "task-homogeneous") {
    const full: number[][] = [];
    const partial: number[][] = [];
    for (const g of groups) {
      const c = cut(g.positions);
      full.push(...c.full);
      if (c.partial) partial.push(c.partial);
    }
    shuffle(full, random);
    shuffle(partial, random);
    const partialRecords = partial.reduce((s, b) => s + b.length, 0);
    const ids = idsOf(full.flat());
    if (o.partialBatches === "end") ids.push(...idsOf(partial.flat()));
    return {
      name,
      ids,
      fullBatches: full.length,
      partialRecords: o.partialBatches === "end" ? partialRecords : 0,
      dropped: o.partialBatches === "drop" ? partialRecords : 0,
      mixedRecords: 0,
    };
  }

  // homogeneous-then-mixed
  const mixed: number[] = [];
  const full: number[][] = [];
  const partial: number[][] = [];
  shuffle(groups, random);
  for (const g of groups) {
    const m = Math.round(g.positions.length * o.mixedFraction);
    mixed.push(...g.positions.slice(0, m));
    const c = cut(g.positions.slice(m));
    full.push(...c.full);
    if (c.partial) partial.push(c.partial);
  }
  shuffle(mixed, random);
  const partialRecords = partial.reduce((s, b) => s + b.length, 0);
  const ids = idsOf(full.flat());
  if (o.partialBatches === "end") ids.push(...idsOf(partial.flat()));
  ids.push(...idsOf(mixed));
  return {
    name,
    ids,
    fullBatches: full.length,
    partialRecords: o.partialBatches === "end" ? partialRecords : 0,
    dropped: o.partialBatches === "drop" ? partialRecords : 0,
    mixedRecords: mixed.length,
  };
}

/** The outputs of an export: one ("all"), or "train" and "dev" when devFraction > 0. */
export function planSplits(list: IdTaskList, o: OrderOptions): Split[] {
  if (o.devFraction <= 0) {
    return [
      orderSplit(
        list,
        list.ids.map((_, i) => i),
        o,
        "all",
      ),
    ];
  }
  const { train, dev } = splitDev(list, o.seed, o.devFraction);
  return [orderSplit(list, train, o, "train"), orderSplit(list, dev, o, "dev", 1)];
}
