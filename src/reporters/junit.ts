/**
 * JUnit XML report, for CI and test dashboards: a <testsuite> per patient, a <testcase> per
 * criterion (classname = patient id, name = criterion id). A `fail` is a <failure> (type = the
 * criterion's kind) with the deciding reasons; `unknown` and `not_applicable` are <skipped> with a
 * message (unknown: the data that would decide it). A record that could not be read is a suite with
 * one <error> test case per diagnostic. Each suite carries the report stamp and the verdict as
 * <properties>, so a suite with skipped cases but no failure still says `indeterminate`.
 * Streamed: the root <testsuites> has no totals (they are only known at the end; the attributes are
 * optional), every suite has its own.
 */
import type { CriterionResult, PatientResult, ReportMeta } from '../model.js';
import { countStatuses, decidingReasons, sourceLabel, stampLine, unmappedText } from './common.js';
import type { Reporter, ReporterOptions } from './types.js';

/** Characters XML 1.0 does not allow, even escaped: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/FFFF. */
// eslint-disable-next-line no-control-regex
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content: & < > escaped, invalid characters replaced by U+FFFD. */
export function xmlText(s: string): string {
  return s.replace(INVALID, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute value (double-quoted): also " and ', and line breaks kept as character references. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const attrs = (a: Record<string, string | number>): string => Object.entries(a).map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');

function testcase(p: PatientResult, c: CriterionResult): string {
  const head = `    <testcase${attrs({ name: c.id, classname: p.id })}`;
  const reasons = decidingReasons(c);
  switch (c.status) {
    case 'pass':
      return `${head}/>\n`;
    case 'fail':
      return `${head}>\n      <failure${attrs({ message: reasons[0] ?? c.id, type: c.kind })}>${xmlText([c.text, ...reasons.map((r) => `- ${r}`)].join('\n'))}</failure>\n    </testcase>\n`;
    case 'unknown': {
      const needs = c.missing?.length ? `needs: ${c.missing.map((m) => m.description).join('; ')}` : reasons.join('; ');
      return `${head}>\n      <skipped${attrs({ message: `unknown: ${needs}` })}/>\n    </testcase>\n`;
    }
    case 'not_applicable':
      return `${head}>\n      <skipped${attrs({ message: `not applicable: ${reasons.join('; ')}` })}/>\n    </testcase>\n`;
  }
}

function stampProperties(meta: ReportMeta): string {
  return [
    ['elig.version', meta.tool.version], ['criteria.id', meta.criteria.id], ['criteria.version', meta.criteria.version],
    ['criteria.sha256', meta.criteria.sha256], ['vocabulary.version', meta.vocabulary.version], ['vocabulary.sha256', meta.vocabulary.sha256],
    ['asOf', meta.asOf],
  ].map(([name, value]) => `      <property${attrs({ name: name!, value: value! })}/>\n`).join('');
}

export function junitReporter(opts: Pick<ReporterOptions, 'meta'>): Reporter {
  const props = stampProperties(opts.meta);
  return {
    begin(meta: ReportMeta) {
      return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: stampLine(meta, 12) })}>\n`;
    },
    patient(p) {
      const src = sourceLabel(p.source);
      const unmapped = (p.unmapped ?? []).map((u) => `      <property${attrs({ name: 'unmapped', value: unmappedText(u) })}/>\n`).join('');
      const properties = `    <properties>\n${props}      <property${attrs({ name: 'verdict', value: p.verdict })}/>\n      <property${attrs({ name: 'source', value: src })}/>\n${unmapped}    </properties>\n`;
      if (p.verdict === 'error') {
        const ds = p.diagnostics ?? [];
        const cases = ds.map((d) => `    <testcase${attrs({ name: 'record', classname: p.id })}>\n      <error${attrs({ message: d.message, type: d.code })}>${xmlText(`${src}: ${d.code}: ${d.message}`)}</error>\n    </testcase>\n`).join('');
        return `  <testsuite${attrs({ name: p.id, tests: ds.length, failures: 0, errors: ds.length, skipped: 0, file: p.source.file })}>\n${properties}${cases}  </testsuite>\n`;
      }
      const n = countStatuses(p);
      const suite = attrs({ name: p.id, tests: p.criteria.length, failures: n.fail, errors: 0, skipped: n.unknown + n.not_applicable, file: p.source.file });
      return `  <testsuite${suite}>\n${properties}${p.criteria.map((c) => testcase(p, c)).join('')}  </testsuite>\n`;
    },
    end: () => '</testsuites>\n',
  };
}
