/**
 * QTc, Bazett: QT / √RR (RR in seconds). Bazett HC. An analysis of the time-relations of
 * electrocardiograms. Heart 1920;7:353–370.
 */
import type { CalcResult, Calculator } from './types.js';
import { isRecord } from './common.js';
import { QTC_INPUTS, qtc, type QtcInput } from './qtc-common.js';

export const qtcBazettCalculator: Calculator<QtcInput> = {
  name: 'qtc-bazett',
  title: 'QT corrected for heart rate (Bazett)',
  source: 'Bazett HC. An analysis of the time-relations of electrocardiograms. Heart 1920;7:353–370',
  unit: 'ms',
  inputs: QTC_INPUTS,
  compute(input: QtcInput): CalcResult {
    return qtc('qtc-bazett', 'QT / √RR, RR in s (Bazett 1920)', isRecord(input) ? input : {}, (q, r) => q / Math.sqrt(r));
  },
};
