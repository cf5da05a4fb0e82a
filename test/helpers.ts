/** Test helpers: an in-memory Io and a compiled-criteria builder from inline YAML. */
import { Readable } from 'node:stream';
import { readFileSync, statSync, readdirSync, createReadStream, realpathSync } from 'node:fs';
import type { Io } from '../src/cli/io.js';
import { compileCriteria, evaluateRecord, loadCriteria, type CompiledCriteria, type PatientResult } from '../src/index.js';

export interface MemIo extends Io {
  out: () => string;
  err: () => string;
  written: Map<string, string>;
}

/** An Io over the real file system for reads, with captured stdout/stderr and writes. */
export function memIo(opts: { stdin?: string; env?: Record<string, string>; today?: string; files?: Record<string, string> } = {}): MemIo {
  let out = '';
  let err = '';
  const written = new Map<string, string>();
  const files = opts.files ?? {};
  return {
    readFile: async (p) => (p in files ? Buffer.from(files[p]!) : readFileSync(p)),
    openRead: (p) => (p in files ? Readable.from([files[p]!]) : createReadStream(p)),
    realpath: async (p) => (p in files ? p : realpathSync(p)),
    stat: async (p) => (p in files ? { isFile: () => true, isDirectory: () => false, size: files[p]!.length } : statSync(p)),
    readdir: async (p) => readdirSync(p),
    writeFile: async (p, d) => void written.set(p, d),
    openWrite: (p) => {
      let buf = '';
      return { write: (s: string) => ((buf += s), true), end: async () => void written.set(p, buf) };
    },
    onInterrupt: () => () => undefined,
    cpus: () => 2,
    stdin: Readable.from(opts.stdin !== undefined ? [opts.stdin] : []),
    stdout: { write: (s: string) => ((out += s), true), isTTY: false, columns: 80 },
    stderr: { write: (s: string) => ((err += s), true), isTTY: false },
    env: opts.env ?? {},
    today: () => opts.today ?? '2026-11-25',
    cwd: () => process.cwd(),
    out: () => out,
    err: () => err,
    written,
  };
}

const HEADER = 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\n';

/** Compile a criteria file made of inline YAML (the header is added). Throws on diagnostics. */
export function compile(body: string): CompiledCriteria {
  const r = loadCriteria('inline.yaml', HEADER + body);
  if (!r.criteria) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message} ${d.location?.line}:${d.location?.column}`).join('\n'));
  return compileCriteria(r.criteria);
}

/** One inclusion criterion `c` with the given rule (YAML flow or block) and optional extras. */
export function oneRule(rule: string, extra = ''): CompiledCriteria {
  return compile(`${extra}inclusion:\n  - id: c\n    text: test\n    rule: ${rule}\n`);
}

export function check(compiled: CompiledCriteria, record: unknown, asOf = '2026-11-25'): PatientResult {
  return evaluateRecord(compiled, record, asOf, { file: 'test', record: 1 });
}

/** Status of criterion `c` for a record. */
export function statusOf(compiled: CompiledCriteria, record: unknown, asOf = '2026-11-25'): string {
  const r = check(compiled, record, asOf);
  if (r.verdict === 'error') return 'error';
  return r.criteria[0]!.status;
}

export const SHARED = new URL('../../shared/', import.meta.url);
