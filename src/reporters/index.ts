/** The reporter registry: one line per format. */
import { humanReporter } from './human.js';
import { jsonReporter } from './json.js';
import type { Reporter, ReporterOptions } from './types.js';

export const REPORTERS = {
  human: (o: ReporterOptions) => humanReporter(o),
  json: (_o: ReporterOptions) => jsonReporter(),
} as const satisfies Record<string, (o: ReporterOptions) => Reporter>;

export type ReportFormat = keyof typeof REPORTERS;
export const REPORT_FORMATS = Object.keys(REPORTERS) as ReportFormat[];
export type { Reporter, ReporterOptions } from './types.js';
