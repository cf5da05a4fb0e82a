/** The reporter registry: one line per format. */
import { csvReporter } from './csv.js';
import { htmlReporter } from './html.js';
import { humanReporter } from './human.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { ndjsonReporter } from './ndjson.js';
import { tapReporter } from './tap.js';
import type { Reporter, ReporterOptions } from './types.js';

export const REPORTERS = {
  human: (o: ReporterOptions) => humanReporter(o),
  json: (o: ReporterOptions) => jsonReporter(o),
  ndjson: (o: ReporterOptions) => ndjsonReporter(o),
  csv: (o: ReporterOptions) => csvReporter(o),
  junit: (o: ReporterOptions) => junitReporter(o),
  tap: (_o: ReporterOptions) => tapReporter(),
  markdown: (o: ReporterOptions) => markdownReporter(o),
  html: (o: ReporterOptions) => htmlReporter(o),
} as const satisfies Record<string, (o: ReporterOptions) => Reporter>;

export type ReportFormat = keyof typeof REPORTERS;
export const REPORT_FORMATS = Object.keys(REPORTERS) as ReportFormat[];
/** File extension of each format's report (golden files, suggested output names). */
export const REPORT_EXTENSIONS: Record<ReportFormat, string> = {
  human: 'txt', json: 'json', ndjson: 'ndjson', csv: 'csv', junit: 'xml', tap: 'tap', markdown: 'md', html: 'html',
};
/** Formats read by programs: never coloured. */
export const MACHINE_FORMATS: readonly ReportFormat[] = ['json', 'ndjson', 'csv', 'junit', 'tap'];
export type { ProtocolCriterion, Reporter, ReporterOptions } from './types.js';
