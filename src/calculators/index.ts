/**
 * The calculator registry: the one place calculators are registered, by name.
 */
import type { Calculator } from './types.js';
import { hasOwn } from '../own.js';
import { ageCalculator } from './age.js';
import { egfrCalculator } from './egfr.js';
import { eularAcr2019Calculator } from './eular-acr-2019.js';
import { prednisoneEquivalentCalculator } from './prednisone-equivalent.js';
import { sledai2kCalculator } from './sledai-2k.js';
import { ulnRatioCalculator } from './uln-ratio.js';
import { bmiCalculator } from './bmi.js';
import { bsaMostellerCalculator } from './bsa-mosteller.js';
import { ancCalculator } from './anc.js';
import { correctedCalciumCalculator } from './corrected-calcium.js';
import { qtcFridericiaCalculator } from './qtc-fridericia.js';
import { qtcBazettCalculator } from './qtc-bazett.js';
import { upcrCalculator } from './upcr.js';
import { cockcroftGaultCalculator } from './cockcroft-gault.js';
import { ecogCalculator } from './ecog.js';
import { karnofskyCalculator } from './karnofsky.js';
import { bilag2004Calculator } from './bilag-2004.js';

/** Names of the registered calculators. */
export type CalculatorName = 'age' | 'egfr' | 'prednisone-equivalent' | 'sledai-2k' | 'eular-acr-2019' | 'uln-ratio'
  | 'bmi' | 'bsa-mosteller' | 'anc' | 'corrected-calcium' | 'qtc-fridericia' | 'qtc-bazett' | 'upcr' | 'cockcroft-gault' | 'ecog' | 'karnofsky' | 'bilag-2004';

// Each calculator reads its own input type defensively (inputs come from files); the registry erases it.
const erase = <I>(c: Calculator<I>): Calculator => c as unknown as Calculator;

const REGISTRY: Record<CalculatorName, Calculator> = {
  age: erase(ageCalculator),
  egfr: erase(egfrCalculator),
  'prednisone-equivalent': erase(prednisoneEquivalentCalculator),
  'sledai-2k': erase(sledai2kCalculator),
  'eular-acr-2019': erase(eularAcr2019Calculator),
  'uln-ratio': erase(ulnRatioCalculator),
  bmi: erase(bmiCalculator),
  'bsa-mosteller': erase(bsaMostellerCalculator),
  anc: erase(ancCalculator),
  'corrected-calcium': erase(correctedCalciumCalculator),
  'qtc-fridericia': erase(qtcFridericiaCalculator),
  'qtc-bazett': erase(qtcBazettCalculator),
  upcr: erase(upcrCalculator),
  'cockcroft-gault': erase(cockcroftGaultCalculator),
  ecog: erase(ecogCalculator),
  karnofsky: erase(karnofskyCalculator),
  'bilag-2004': erase(bilag2004Calculator),
};

export const CALCULATORS: Record<string, Calculator> = REGISTRY;

export const CALCULATOR_NAMES = Object.keys(REGISTRY) as CalculatorName[];

/** The calculator of that name; a registered name (a literal) always gives one. */
export function getCalculator(name: CalculatorName): Calculator;
export function getCalculator(name: string): Calculator | undefined;
export function getCalculator(name: string): Calculator | undefined {
  return hasOwn(REGISTRY, name) ? REGISTRY[name as CalculatorName] : undefined;
}

export type { Calculator, CalcResult, CalcInputValue, Quantity, MissingInput, CalculatorInputSpec } from './types.js';
