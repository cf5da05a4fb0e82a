/**
 * QTc, Fridericia: QT / RR^(1/3) (RR in seconds). Fridericia LS. Die Systolendauer im
 * Elektrokardiogramm bei normalen Menschen und bei Herzkranken. Acta Med Scand 1920;53:469–486.
 */
import type { CalcResult, Calculator } from './types.js';
import { isRecord } from './common.js';
import { QTC_INPUTS, qtc, type QtcInput } from './qtc-common.js';

export const qtcFridericiaCalculator: Calculator<QtcInput> = {
  name: 'qtc-fridericia',
  title: 'QT corrected for heart rate (Fridericia)',
  source: 'Fridericia LS. Die Systolendauer im Elektrokardiogramm bei normalen Menschen und bei Herzkranken. Acta Med Scand 1920;53:469–486',
  unit: 'ms',
  inputs: QTC_INPUTS,
  compute(input: QtcInput): CalcResult {
    return qtc('qtc-fridericia', 'QT / RR^(1/3), RR in s (Fridericia 1920)', isRecord(input) ? input : {}, (q, r) => q / Math.cbrt(r));
  },
};
