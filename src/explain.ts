/**
 * Criteria as plain language, as a coordinator reads them on a screening checklist (`elig explain`);
 * with a patient's result, the values under each criterion. Pure: documents and results in, text out.
 */
import { formatDuration, isQuantity, isUlnMultiple, isLlnMultiple, parseDuration, parseThreshold } from './language/quantity.js';
import { describeAnchor } from './engine/anchors.js';
import { changeBoundsText } from './engine/operators/change.js';
import type { CriteriaDoc, CriterionDef, RuleNode } from './language/schema.js';
import type { CriterionKind, CriterionResult, PatientResult, Status } from './model.js';
import { resolve } from './vocabulary/index.js';
import { visible } from './visible.js';

export interface ExplainedCriterion {
  id: string;
  kind: CriterionKind;
  number: number;
  text: string;
  /** The rule in plain language, one line per item (nested items indented by two spaces). */
  plain: string[];
  /** Applicability, in plain language. */
  appliesIf?: string[];
  note?: string;
  /** With a patient: the status and the values that decided it. */
  status?: Status;
  values?: string[];
  needs?: string[];
}

export interface Explanation {
  id: string;
  version: string;
  title?: string;
  patient?: { id: string; verdict: string; asOf: string };
  criteria: ExplainedCriterion[];
}

function name(kind: 'measurement' | 'drug' | 'condition' | 'procedure' | 'device' | 'relationship' | 'substance', code: string): string {
  if (kind === 'drug' && !resolve('drug', code)) return code === 'car-t' ? 'CAR-T cell therapy' : `any ${code.replace(/-/g, ' ')}`;
  return resolve(kind, code)?.display ?? code;
}

function list(items: string[], conj: 'or' | 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conj} ${items[items.length - 1]}`;
}

function human(code: string): string {
  return code.replace(/[-_/]/g, ' ');
}

function quantity(raw: unknown): string {
  const t = parseThreshold(raw);
  if (!t) return String(raw);
  if (isUlnMultiple(t)) return `${t.ulnFactor} × the upper limit of normal`;
  if (isLlnMultiple(t)) return `${t.llnFactor} × the lower limit of normal`;
  if (!isQuantity(t)) return `a titre of 1:${t.titre}`;
  const unit = t.unit
    .replace('{1.73_m2}', '1.73 m²').replace(/^a$/, 'years').replace(/^mo$/, 'months').replace(/^%$/, '%');
  return unit ? `${t.value}${unit === '%' ? '' : ' '}${unit}` : String(t.value);
}

function bounds(r: Record<string, unknown>): string {
  const parts: string[] = [];
  if (r.min !== undefined) parts.push(`at least ${quantity(r.min)}`);
  if (r.above !== undefined) parts.push(`above ${quantity(r.above)}`);
  if (r.max !== undefined) parts.push(`at most ${quantity(r.max)}`);
  if (r.below !== undefined) parts.push(`below ${quantity(r.below)}`);
  return parts.join(' and ');
}

/** The current rule's anchor, for window wording (set by plain() for each rule). */
let anchorNow: { name: string; what: string } | undefined;

function window(raw: unknown, fallback?: string): string {
  const d = typeof raw === 'string' ? parseDuration(raw) : undefined;
  if (anchorNow) {
    return d ? ` within ${formatDuration(d)} before ${anchorNow.name} (${anchorNow.what}; up to the as-of date)` : ` on or before ${anchorNow.name} (${anchorNow.what})`;
  }
  if (d) return ` within the last ${formatDuration(d)}`;
  return fallback ?? '';
}

function anchorWords(doc: CriteriaDoc, name: string): string {
  return describeAnchor(name, doc.anchors?.[name]);
}

/** One rule in plain language: a line, or a heading line with indented children. */
function plain(rule: RuleNode, doc: CriteriaDoc, lookback: string, depth = 0): string[] {
  const r = rule as Record<string, unknown>;
  anchorNow = typeof r.anchor === 'string' ? { name: r.anchor, what: anchorWords(doc, r.anchor) } : undefined;
  const nest = (children: RuleNode[]) => children.flatMap((c) => plain(c, doc, lookback, depth + 1).map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)));
  if (Array.isArray(r.all)) return ['all of:', ...nest(r.all as RuleNode[])];
  if (Array.isArray(r.any)) return ['any of:', ...nest(r.any as RuleNode[])];
  if (Array.isArray(r.of)) return [`at least ${String(r.atLeast)} of:`, ...nest(r.of as RuleNode[])];
  if (r.not !== undefined) {
    const inner = plain(r.not as RuleNode, doc, lookback, depth + 1);
    return inner.length === 1 ? [`NOT: ${inner[0]}`] : ['none of the following holds:', ...inner.map((l) => `  ${l}`)];
  }
  if (typeof r.ref === 'string') {
    const def = doc.definitions?.[r.ref];
    return def ? plain(def, doc, lookback, depth) : [`(definition ${r.ref})`];
  }
  if (r.fact === 'age') return [`age ${bounds(r)} (completed years at ${anchorNow ? `${anchorNow.name}: ${anchorNow.what}` : 'the screening date'})`];
  if (r.fact === 'sex') return [`sex is ${list((Array.isArray(r.is) ? r.is : [r.is]).map(String), 'or')}`];
  if (r.fact === 'childbearing-potential') return [r.is === false ? 'not of childbearing potential' : 'of childbearing potential (female from menarche until post-menopause, unless permanently sterile)'];
  if (r.fact === 'deceased') return [r.is === false ? 'alive' : 'deceased'];
  if (typeof r.measurement === 'string') {
    const what = name('measurement', r.measurement);
    const is = r.is !== undefined ? (Array.isArray(r.is) ? r.is : [r.is]).map(String) : undefined;
    const cut = r.cutoff !== undefined ? ` (a number counts as positive at or above ${quantity(r.cutoff)})` : '';
    const normal = r.normal === true ? "within the laboratory's reference range (at least the lower and at most the upper limit)"
      : r.normal === false ? "outside the laboratory's reference range" : '';
    const value = is ? `${list(is, 'or')}${cut}` : [bounds(r), normal].filter((x) => x !== '').join(' and ');
    const when = r.ever ? ' (any time)' : window(r.within, ` (most recent value within the last ${lookback})`);
    if (anchorNow && r.within === undefined && !r.ever) return [`${what} ${value}${r.context ? `, measured on ${human(String(r.context))}` : ''} (most recent value within ${lookback} before ${anchorNow.name}: ${anchorNow.what})`];
    return [`${what} ${value}${r.context ? `, measured on ${human(String(r.context))}` : ''}${when}`];
  }
  if (typeof r.score === 'string') {
    if (r.score === 'bilag-2004') {
      const grades = (Array.isArray(r.grade) ? r.grade : [r.grade]).map(String);
      const n = r.min !== undefined ? `at least ${String(r.min)}` : `at most ${String(r.max)}`;
      return [`BILAG-2004 grade ${list(grades, 'or')} in ${n} organ system${r.min === 1 || r.max === 1 ? '' : 's'}${window(r.within, ' (within the last month)')}`];
    }
    const partial = Array.isArray(r.excluding) ? ` (not counting ${list((r.excluding as string[]).map((d) => human(String(d))), 'and')})` : '';
    const what = (r.score === 'sledai-2k' ? 'SLEDAI-2K score' : '2019 EULAR/ACR score') + partial;
    if (r.classified) return ['classified as systemic lupus erythematosus by the 2019 EULAR/ACR criteria (ANA entry criterion and ≥ 10 points)'];
    return [`${what} ${bounds(r)}${window(r.within)}`];
  }
  if (r.condition !== undefined) {
    const names = (Array.isArray(r.condition) ? r.condition : [r.condition]).map((c) => name('condition', String(c)));
    const state = r.active ? 'active ' : '';
    return [`${state}${list(names, 'or')} on the problem list${r.within ? ` with onset${window(r.within)}` : ''}`];
  }
  if (r.medication !== undefined) {
    const names = (Array.isArray(r.medication) ? r.medication : [r.medication]).map((m) => name('drug', String(m)));
    if (r.lines !== undefined) return [`at least ${String(r.lines)} lines of therapy with ${list(names, 'or')} (a line is the drugs started within 28 days of each other; adding or switching a drug, or restarting after more than 120 days, starts a new line)`];
    if (r.stableFor) return [`taking ${list(names, 'or')} at ${anchorNow ? `${anchorNow.name} (${anchorNow.what})` : 'the screening date'} at an unchanged daily dose for at least ${formatDuration(parseDuration(r.stableFor)!)} (a dose change or a gap starts a new period)`];
    const wo = r.washout as { halfLives?: number; min?: string } | undefined;
    if (wo) {
      const parts = [wo.halfLives !== undefined ? `${String(wo.halfLives)} half-lives of the drug` : '', wo.min ? formatDuration(parseDuration(wo.min)!) : ''].filter(Boolean);
      return [`has taken ${list(names, 'or')} within ${parts.join(' or ')}${parts.length > 1 ? ', whichever is longer,' : ''} before the screening date`];
    }
    const head = r.atLeast !== undefined ? `has taken at least ${String(r.atLeast)} of: ${list(names, 'or')}` : `has taken ${list(names, 'or')}`;
    const extra: string[] = [];
    const dose = r.dose as Record<string, unknown> | undefined;
    if (dose) {
      const perKg = ['min', 'max'].some((k) => /\/kg/.test(String((dose[k] as { unit?: string } | undefined)?.unit ?? dose[k] ?? '')));
      const per = perKg ? (dose.weight === 'current' ? ', per kg of the current weight (the newest on or before the screening date)' : ', per kg of the weight at the course start') : '';
      extra.push(`at a daily dose of ${bounds(dose)}${dose.as ? ` (${String(dose.as)}-equivalent)` : ''}${per}`);
    }
    // one wording per combination, as medication.ts decides them (docs/language.md, Medications)
    const forTxt = r.for ? `for at least ${formatDuration(parseDuration(r.for)!)} without interruption (overlapping or adjacent courses merged${dose ? ', concurrent doses added' : ''})` : '';
    if (r.for && r.within && r.current) extra.push(`${forTxt}, lying inside${window(r.within)} and continuing at ${anchorNow ? anchorNow.name : 'the screening date'}`);
    else if (r.for && r.within) extra.push(`${forTxt}, lying inside${window(r.within)}`);
    else if (r.for && r.current) extra.push(`${forTxt}, continuing at ${anchorNow ? anchorNow.name : 'the screening date'}`);
    else if (r.for) extra.push(forTxt);
    else {
      if (r.within) extra.push(`at some time${window(r.within)}`);
      if (r.current) extra.push(`and still taking it at ${anchorNow ? anchorNow.name : 'the screening date'}${dose ? ' (the doses of concurrent courses added)' : ''}`);
    }
    if (anchorNow && !r.within && !r.current) extra.push(`before ${anchorNow.name} (${anchorNow.what})`);
    if (r.acceptIntolerance) extra.push('(a drug stopped for intolerance counts as taken)');
    return [[head, ...extra].join(' ')];
  }
  if (typeof r.finding === 'string') {
    const present = (r.is ?? 'present') === 'present';
    return [`clinician has recorded ${human(r.finding)} as ${present ? 'present' : 'absent'}${window(r.within, ` (within the last ${lookback})`)}`];
  }
  if (r.procedure !== undefined) {
    const names = (Array.isArray(r.procedure) ? r.procedure : [r.procedure]).map((c) => name('procedure', String(c)));
    return [`${list(names, 'or')} done${r.within || anchorNow ? window(r.within) : ' (at any time)'}${r.noProcedures === 'fail' ? ' (a record without a procedures list counts as none done)' : ''}`];
  }
  const names = (key: string, kind: Parameters<typeof name>[0]) => (Array.isArray(r[key]) ? (r[key] as unknown[]) : [r[key]]).map((c) => name(kind, String(c)));
  if (r.device !== undefined) {
    const what = list(names('device', 'device'), 'or');
    const at = anchorNow ? anchorNow.name : 'the screening date';
    const how = r.for ? `in use at ${at}, since at least ${formatDuration(parseDuration(r.for)!)}`
      : [r.within || anchorNow ? `started (implanted)${window(r.within)}` : '', r.current ? `in use at ${at}` : ''].filter(Boolean).join(' and ') || 'used or implanted (at any time)';
    return [`${what} ${how}${r.noDevices === 'fail' ? ' (a record without a device list counts as none)' : ''}`];
  }
  if (r.allergy !== undefined) {
    const kind = r.type === 'allergy' ? 'allergy' : r.type === 'intolerance' ? 'intolerance' : 'allergy or intolerance';
    return [`${r.active ? 'active ' : ''}${kind} to ${list(names('allergy', 'drug'), 'or')} on the allergy list (a drug class includes its members; refuted or entered-in-error entries do not count)${r.noAllergies === 'fail' ? ' (a record without an allergy list counts as none)' : ''}`];
  }
  if (r.familyHistory !== undefined) {
    const who = r.relationship !== undefined ? `a ${list(names('relationship', 'relationship'), 'or')}` : 'a relative';
    return [`family history: ${list(names('familyHistory', 'condition'), 'or')} in ${who}${r.noFamilyHistory === 'fail' ? ' (a record without a family history counts as none)' : ''}`];
  }
  if (r.substanceUse !== undefined) {
    const what = list(names('substanceUse', 'substance'), 'or');
    const never = r.noSubstanceUse === 'fail' ? ' (nothing recorded counts as never used)' : '';
    if (r.status !== undefined) return [`${what} use: the most recent status is ${list((Array.isArray(r.status) ? r.status : [r.status]).map(String), 'or')}${never}`];
    if (r.packYears !== undefined) return [`${what}: ${bounds(r.packYears as Record<string, unknown>)} pack-years (most recent record; never used counts as 0)${never}`];
    if (r.within !== undefined) return [`${what} used at any time${window(r.within)} (a current status, or a quit date inside the window)${never}`];
    return [`${what} used at some time (current or former)${never}`];
  }
  if (typeof r.elapsed === 'string') {
    const lim = [r.min ? `at least ${formatDuration(parseDuration(r.min)!)}` : '', r.max ? `at most ${formatDuration(parseDuration(r.max)!)}` : ''].filter(Boolean).join(' and ');
    const to = typeof r.until === 'string' ? `${r.until} (${anchorWords(doc, r.until)})` : 'the screening date';
    return [`${lim} from ${r.elapsed} (${anchorWords(doc, r.elapsed)}) to ${to}`];
  }
  if (r.count !== undefined && typeof r.count === 'object') {
    const ev = plain(r.count as RuleNode, doc, lookback, depth + 1)[0]!.replace(/ \(most recent value within the last [^)]*\)$/, '').replace(/ on the problem list$/, ' (each entry, dated by its onset)');
    anchorNow = typeof r.anchor === 'string' ? { name: r.anchor, what: anchorWords(doc, r.anchor) } : undefined;
    const extra = [r.apart ? `each at least ${formatDuration(parseDuration(r.apart)!)} after the previous one` : '', r.consecutive ? 'on successive results (none in between failing)' : ''].filter(Boolean).join(', ');
    return [`at least ${String(r.atLeast)} times: ${ev}${window(r.within, ' (at any time)')}${extra ? `, ${extra}` : ''}`];
  }
  if (typeof r.change === 'string') {
    // one wording per option, as change.ts decides them (docs/language.md, Change over time)
    const b = r.baseline as string | { anchor: string; within: string } | undefined;
    const from = typeof b === 'object' && b !== null
      ? `the value at ${b.anchor} (${anchorWords(doc, b.anchor)}; the newest within ${formatDuration(parseDuration(b.within)!)} up to it)`
      : b === 'lowest' ? 'the lowest earlier value in the window' : b === 'highest' ? 'the highest earlier value in the window' : 'the earliest value in the window';
    const pct = ['min', 'max', 'above', 'below'].some((k) => r[k] !== undefined && /%\s*$/.test(String(r[k])));
    const how = pct && r.relative !== false ? ' (relative: 100 × change ÷ baseline)' : '';
    return [`${name('measurement', r.change)} changed by ${changeBoundsText(r)}${how}: the newest value${window(r.within, ' (at any time)')} compared with ${from}; a rise is positive, a fall negative; fewer than two values on different days is unknown`];
  }
  if (typeof r.attestation === 'string') {
    const by = Array.isArray(r.by) ? ` by the ${list(r.by.map(String), 'or')}` : '';
    return [`signed/recorded statement: ${human(r.attestation)}${by}${window(r.within)}`];
  }
  if (typeof r.todo === 'string') return [`TO DO: rule not written yet (${r.todo}); unknown for every patient until it is`];
  return [JSON.stringify(rule)];
}

function valuesOf(c: CriterionResult): string[] {
  return c.reasons.map((r) => {
    const o = r.observed;
    const src = o ? [o.date, o.source].filter(Boolean).join(', ') : '';
    return `${r.text}${src && !r.text.includes(src) ? ` [${src}]` : ''}`;
  });
}

export function explainCriteria(doc: CriteriaDoc, opts: { criterion?: string; result?: PatientResult; asOf?: string } = {}): Explanation {
  const lookback = doc.defaults?.lookback ? formatDuration(parseDuration(doc.defaults.lookback)!) : '28 days';
  const criteria: ExplainedCriterion[] = [];
  for (const kind of ['inclusion', 'exclusion'] as const) {
    doc[kind].forEach((def: CriterionDef, i) => {
      if (opts.criterion && def.id !== opts.criterion) return;
      const e: ExplainedCriterion = { id: def.id, kind, number: i + 1, text: def.text.trim(), plain: plain(def.rule, doc, lookback) };
      if (def.when) e.appliesIf = plain(def.when, doc, lookback);
      if (def.note) e.note = def.note;
      const res = opts.result?.criteria.find((c) => c.id === def.id);
      if (res) {
        e.status = res.status;
        e.values = valuesOf(res);
        if (res.missing?.length) e.needs = res.missing.map((m) => m.description);
      }
      criteria.push(e);
    });
  }
  const out: Explanation = { id: doc.id, version: doc.version, criteria };
  if (doc.title) out.title = doc.title;
  if (opts.result) out.patient = { id: opts.result.id, verdict: opts.result.verdict, asOf: opts.asOf ?? '' };
  return out;
}

const BOX: Record<Status, string> = { pass: '[✓]', fail: '[✗]', unknown: '[?]', not_applicable: '[–]' };

function wrap(text: string, width: number, indent: string): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && indent.length + cur.length + 1 + w.length > width) {
      lines.push(indent + cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(indent + cur);
  return lines;
}

export function formatExplanation(x: Explanation, width = 100): string {
  const lines = [`${x.id} v${x.version}${x.title ? ` — ${x.title}` : ''}`];
  if (x.patient) lines.push(`Patient ${x.patient.id} as of ${x.patient.asOf}: ${x.patient.verdict.toUpperCase()}`);
  for (const kind of ['inclusion', 'exclusion'] as const) {
    const cs = x.criteria.filter((c) => c.kind === kind);
    if (!cs.length) continue;
    lines.push('', kind === 'inclusion' ? 'INCLUSION — every item must be met' : 'EXCLUSION — the patient is excluded if any item applies');
    for (const c of cs) {
      const box = c.status ? BOX[c.status] : '[ ]';
      lines.push('', ...wrap(`${box} ${kind === 'inclusion' ? 'I' : 'E'}${c.number}. ${c.text}`, width, '').map((l, i) => (i === 0 ? l : `       ${l}`)));
      lines.push(`       (${c.id})`);
      if (c.appliesIf) {
        lines.push('       Applies only if:');
        for (const l of c.appliesIf) lines.push(...wrap(l.trim(), width, `         ${l.match(/^\s*/)![0]}`));
      }
      lines.push(kind === 'inclusion' ? '       Met when:' : '       Excluded when:');
      const item = (l: string) => {
        const lead = l.match(/^\s*/)![0];
        const bullet = l.trim().startsWith('- ') ? '  ' : '';
        return wrap(l.trim(), width, `         ${lead}`).map((x, i) => (i === 0 ? x : `${bullet}${x}`));
      };
      for (const l of c.plain) lines.push(...item(l));
      if (c.note) {
        lines.push('       How it is read:');
        lines.push(...wrap(c.note, width, '         '));
      }
      if (c.values) {
        lines.push(`       This patient: ${c.status}`);
        for (const v of c.values) lines.push(...wrap(`• ${v}`, width, '         ').map((l, i) => (i === 0 ? l : `  ${l}`)));
        for (const n of c.needs ?? []) lines.push(...wrap(`→ needs: ${n}`, width, '         '));
      }
    }
  }
  // every entry is one line: control characters from the criteria or the record as visible escapes
  return `${lines.map(visible).join('\n')}\n`;
}
