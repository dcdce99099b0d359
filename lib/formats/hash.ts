import { createHash } from "node:crypto";
import type { CanonicalRecord, Passage } from "./types";

/**
 * Serialisation: every value is tagged and strings are length-prefixed, so no two different
 * records serialise the same ("s3:abc", "n0.5", "~" for absent, "[2" before a list of two).
 * Built by concatenation (cheap ropes) and hashed once: faster than JSON.stringify.
 */
function str(s: string | undefined): string {
  return s === undefined ? "|~" : `|s${s.length}:${s}`;
}

function num(n: number | undefined): string {
  return n === undefined ? "|~" : `|n${n}`;
}

function passages(list: Passage[]): string {
  let out = `|[${list.length}`;
  for (const p of list) out += str(p.text) + num(p.score);
  return out;
}

function paramValue(v: string | number | boolean | undefined): string {
  if (typeof v === "string") return str(v);
  if (typeof v === "number") return num(v);
  if (typeof v === "boolean") return v ? "|t" : "|f";
  return "|~";
}

/**
 * Content hash of a record: sha256 over a fixed-order serialisation of everything that defines
 * its content as given (task, query, positives, negatives with scores, labels, params). What pairsift
 * infers (task family, guessed language) is left out, so a better guesser never makes a re-import
 * add duplicates; `externalId` and `meta` are left out too, so the same example re-imported from
 * another file or with its keys in another order hashes the same. Hex, first 32 characters.
 */
export function contentHash(record: CanonicalRecord): string {
  let s = "v1";
  s += str(record.task) + str(record.query);
  s += str(record.positive.text) + num(record.positive.score);
  s += passages(record.extraPositives) + passages(record.negatives);
  s += str(record.label) + str(record.misleadingLabel);
  const keys = Object.keys(record.params).sort();
  s += `|{${keys.length}`;
  for (const k of keys) s += str(k) + paramValue(record.params[k]);
  return createHash("sha256").update(s).digest("hex").slice(0, 32);
}
