/**
 * Located diagnostics for a YAML document being validated (criteria files, vocabulary files):
 * a problem at a document path becomes a diagnostic with file:line:col and a code frame; zod issues
 * become unknown-key / missing-key / wrong-type / invalid-value diagnostics of the document's family.
 * Pure.
 */
import type { z } from 'zod';
import type { Document } from 'yaml';
import { diag, type DiagnosticCode } from '../diagnostics.js';
import type { Diagnostic } from '../model.js';
import { nodeAt, type PathSeg, type SourceText } from './yaml-source.js';

/** Levenshtein distance, for "did you mean" hints. */
export function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** The diagnostic codes a document family uses for schema problems. */
export interface SchemaCodes {
  unknownKey: DiagnosticCode;
  missingKey: DiagnosticCode;
  invalidType: DiagnosticCode;
  invalidValue: DiagnosticCode;
}

export const CRITERIA_CODES: SchemaCodes = {
  unknownKey: 'criteria/unknown-key', missingKey: 'criteria/missing-key', invalidType: 'criteria/invalid-type', invalidValue: 'criteria/invalid-value',
};

export class Collector {
  readonly out: Diagnostic[] = [];
  constructor(readonly source: SourceText, readonly doc: Document, readonly codes: SchemaCodes = CRITERIA_CODES) {}

  at(code: DiagnosticCode, message: string, path: PathSeg[], opts: { key?: boolean; hint?: string } = {}): void {
    const node = nodeAt(this.doc, path, opts.key ?? false);
    const loc = this.source.location(node?.range ?? undefined, path);
    const frame = this.source.frame(loc);
    this.out.push(diag(code, message, loc, { ...(opts.hint ? { hint: opts.hint } : {}), ...(frame ? { frame } : {}) }));
  }

  zodIssues(err: z.ZodError, base: PathSeg[], knownKeys: readonly string[]): void {
    for (const issue of err.issues) {
      const path = [...base, ...(issue.path as PathSeg[])];
      switch (issue.code) {
        case 'unrecognized_keys':
          for (const k of issue.keys) {
            const s = suggest(k, knownKeys);
            this.at(this.codes.unknownKey, `unknown key "${k}"`, [...path, k], { key: true, ...(s ? { hint: `did you mean "${s}"?` } : {}) });
          }
          break;
        case 'invalid_type': {
          const input = (issue as { input?: unknown }).input;
          if (input === undefined) {
            const last = path[path.length - 1];
            this.at(this.codes.missingKey, `"${String(last)}" is required (${issue.expected})`, path.slice(0, -1));
          } else {
            this.at(this.codes.invalidType, `expected ${issue.expected}, got ${describe(input)}`, path);
          }
          break;
        }
        default:
          this.at(this.codes.invalidValue, issue.message, path);
      }
    }
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

