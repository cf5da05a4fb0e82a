/**
 * Demographic facts: age (completed years at asOf), sex, childbearing potential (§F), deceased.
 */
import { fromDay, toDay } from '../../dates.js';
import { parseThreshold, isQuantity } from '../../language/quantity.js';
import type { RuleNode } from '../../language/schema.js';
import type { Comparator, Evidence, MissingItem, Reason } from '../../model.js';
import type { CompileEnv, EvalContext, Evaluator } from '../context.js';
import { ageAt } from '../derive.js';
import { test, type Bound } from '../compare.js';
import { missing, reason } from '../reasons.js';
import { and, bounded, type NodeResult, type Tri } from '../tri.js';

type FactNode = Extract<RuleNode, { fact: string }>;

function ageBound(op: Comparator, raw: unknown): Bound | undefined {
  const t = parseThreshold(raw);
  if (!t || !isQuantity(t)) return undefined;
  const months = ['mo', 'month', 'months'].includes(t.unit);
  return { op, value: months ? t.value / 12 : t.value, unit: 'a' };
}

function compileAge(node: FactNode): Evaluator {
  const bounds: Bound[] = [];
  if (node.min !== undefined) bounds.push(ageBound('>=', node.min)!);
  if (node.max !== undefined) bounds.push(ageBound('<=', node.max)!);
  return (ctx) => {
    // anchored (age at consent, at the first dose): the age at the anchor's date, even after asOf
    const atDay = ctx.anchorDay ?? ctx.asOfDay;
    const at = fromDay(atDay);
    const age = ageAt(ctx, atDay);
    if (age.value === undefined && age.lower === undefined) {
      return { status: 'unknown', reasons: [reason('missing', 'unknown', { subject: 'date of birth or age' })], missing: age.missing };
    }
    const reasons: Reason[] = [];
    const statuses: Tri[] = [];
    for (const b of bounds) {
      // the birth date is named in the detail; the observed value is the age itself
      const observed: Evidence = { item: 'age', value: null, unit: 'a' };
      if (age.value !== undefined) {
        const st: Tri = test(age.value, b) ? 'pass' : 'fail';
        statuses.push(st);
        reasons.push(reason('fact', st, {
          subject: 'age', observed: { ...observed, value: age.value }, threshold: { op: b.op, value: b.value, unit: 'a' },
          detail: `at ${at}${age.evidence?.source === 'birthDate' ? ` (born ${String(age.evidence.value)})` : ` (${age.method})`}`,
        }));
        // evidence source shown in detail; keep the observed date-free
      } else {
        const lo = age.lower!;
        const hi = age.upper!;
        const st = bounded(lo, hi, (v) => test(v, b));
        statuses.push(st);
        reasons.push(reason('fact', st, {
          subject: `age between ${lo} and ${hi}`, threshold: { op: b.op, value: b.value, unit: 'a' },
          detail: `at ${at} (${age.method})`,
        }));
      }
    }
    const status = and(statuses);
    const miss: MissingItem[] = status === 'unknown' ? [missing('birthDate', 'full date of birth (only a partial date or dated age is on record)')] : [];
    return { status, reasons, missing: miss };
  };
}

function compileSex(node: FactNode): Evaluator {
  const want = (Array.isArray(node.is) ? node.is : [node.is ?? 'female']).map((x) => String(x).toLowerCase());
  return (ctx) => {
    const sex = ctx.view.sex;
    if (!sex || sex === 'unknown') {
      return { status: 'unknown', reasons: [reason('missing', 'unknown', { subject: 'sex' })], missing: [missing('sex', 'sex')] };
    }
    const st: Tri = want.includes(sex) ? 'pass' : 'fail';
    return { status: st, reasons: [reason('fact', st, { subject: `sex ${sex}`, detail: `${st === 'pass' ? 'is' : 'is not'} ${want.join(' or ')}` })], missing: [] };
  };
}

/** Findings the childbearing-potential fact reads (besides the sterilisations below). */
export const CHILDBEARING_FINDINGS = ['postmenopausal', 'menarche'] as const;
export const STERILE = ['hysterectomy', 'bilateral-oophorectomy', 'bilateral-salpingectomy', 'surgical-sterilisation', 'permanent-sterilisation'];

/**
 * Woman of childbearing potential (CTFG 2014/2020, reference §F): from menarche until
 * post-menopausal, unless permanently sterile. Menarche is never inferred from age.
 */
export function childbearingPotential(ctx: EvalContext): NodeResult {
  const v = ctx.view;
  const subject = 'childbearing potential';
  if (!v.sex || v.sex === 'unknown' || v.sex === 'other') {
    return { status: 'unknown', reasons: [reason('missing', 'unknown', { subject: 'sex (for childbearing potential)' })], missing: [missing('sex', 'sex')] };
  }
  if (v.sex === 'male') return { status: 'fail', reasons: [reason('fact', 'fail', { subject, detail: 'no: male' })], missing: [] };
  const present = (code: string) => {
    const f = v.findings.get(code)?.find((x) => x.day === undefined || x.day <= ctx.asOfDay);
    return f;
  };
  for (const code of STERILE) {
    const f = present(code);
    if (f?.present) {
      return { status: 'fail', reasons: [reason('fact', 'fail', { subject, detail: `no: ${code}`, observed: { item: code, value: true, source: f.path, ...(f.date ? { date: f.date } : {}) } })], missing: [] };
    }
  }
  const meno = present('postmenopausal');
  if (meno?.present) {
    return { status: 'fail', reasons: [reason('fact', 'fail', { subject, detail: 'no: post-menopausal (≥ 12 months amenorrhoea)', observed: { item: 'postmenopausal', value: true, source: meno.path, ...(meno.date ? { date: meno.date } : {}) } })], missing: [] };
  }
  const menarche = present('menarche');
  const ageAtMenarche = v.measurements.get('age-at-menarche')?.[0];
  if (menarche?.present || ageAtMenarche) {
    const src = menarche?.present ? menarche.path : ageAtMenarche!.path;
    return { status: 'pass', reasons: [reason('fact', 'pass', { subject, detail: 'yes: female after menarche, not sterile or post-menopausal', observed: { item: 'menarche', value: true, source: src } })], missing: [] };
  }
  if (menarche && !menarche.present) {
    return { status: 'fail', reasons: [reason('fact', 'fail', { subject, detail: 'no: premenarchal (re-check before dosing)', observed: { item: 'menarche', value: false, source: menarche.path, ...(menarche.date ? { date: menarche.date } : {}) } })], missing: [] };
  }
  return {
    status: 'unknown',
    reasons: [reason('fact', 'unknown', { subject, detail: 'unknown: female, menarche not recorded (not inferred from age)' })],
    missing: [missing('finding:menarche', 'menarche status (finding "menarche" present/absent), or sterilisation / menopause')],
  };
}

function compileChildbearing(node: FactNode): Evaluator {
  const wantFalse = node.is === false || node.is === 'false' || node.is === 'no';
  return (ctx) => {
    const r = childbearingPotential(ctx);
    if (!wantFalse) return r;
    const status: Tri = r.status === 'pass' ? 'fail' : r.status === 'fail' ? 'pass' : 'unknown';
    return { ...r, status, reasons: r.reasons.map((x) => ({ ...x, status })) };
  };
}

function compileDeceased(node: FactNode): Evaluator {
  const wantFalse = node.is === false;
  return (ctx) => {
    const d = ctx.view.deceasedDate;
    const dead = d !== undefined && (toDay(d) ?? Infinity) <= ctx.asOfDay;
    const holds = wantFalse ? !dead : dead;
    const st: Tri = holds ? 'pass' : 'fail';
    const ev: Evidence | undefined = d ? { item: 'deceasedDate', value: d, source: 'deceasedDate' } : undefined;
    return { status: st, reasons: [reason('fact', st, { subject: dead ? `deceased on ${d}` : 'not recorded as deceased', ...(ev ? { observed: ev } : {}) })], missing: [] };
  };
}

export function compileFact(node: FactNode, _env: CompileEnv): Evaluator {
  switch (node.fact) {
    case 'age': return compileAge(node);
    case 'sex': return compileSex(node);
    case 'childbearing-potential': return compileChildbearing(node);
    case 'deceased': return compileDeceased(node);
  }
}
