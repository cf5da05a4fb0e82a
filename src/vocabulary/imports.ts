/**
 * Concept files a criteria file imports (`imports:`), read as concepts of that file:
 *
 * - an elig vocabulary file (`elig/vocabulary@1`, YAML or JSON): its concepts;
 * - a FHIR R4 ValueSet (JSON): one concept set — `expansion.contains` (nested contains too) and
 *   `compose.include[].concept` are its codes, `compose.exclude[].concept` its exclusions; an
 *   include by filter or a whole code system cannot be expanded offline (a located warning);
 * - an OHDSI ATLAS concept set expression (JSON, `items[].concept.{CONCEPT_CODE, VOCABULARY_ID, …}`
 *   with `isExcluded`, `includeDescendants`, `includeMapped`): one concept set. `includeDescendants`
 *   becomes an explicit descendant match where the code structure is the hierarchy (ICD-10,
 *   ICD-10-CM, ATC); for SNOMED CT, RxNorm and LOINC there is no release here to expand it, so only
 *   the code itself matches and a located warning says so. `includeMapped` is not followed (warning).
 *
 * Pure: text in, concepts and located diagnostics out.
 */
import { diag, type DiagnosticCode } from '../diagnostics.js';
import type { Diagnostic } from '../model.js';
import { nodeAt, parseYaml, type PathSeg, type ParsedYaml } from '../language/yaml-source.js';
import { codeKey, codeProblem, isStructural, systemOf, type CodeSystem } from './codes.js';
import { loadVocabularyFile, normaliseConcept, sha256Hex } from './load.js';
import type { Concept, ConceptKind } from './schema.js';
import { own } from '../own.js';

export interface ImportSpec {
  path: string;
  /** The concept id a ValueSet or ATLAS concept set becomes. */
  as?: string;
  kind?: ConceptKind;
  display?: string;
}

export interface ImportResult {
  concepts: Concept[];
  diagnostics: Diagnostic[];
  sha256: string;
  /** What the file was read as. */
  format: 'vocabulary' | 'fhir-valueset' | 'atlas-concept-set' | 'unknown';
}

/** OMOP vocabulary ids (ATLAS VOCABULARY_ID) of the code systems elig knows. */
const OMOP_VOCABULARIES: Readonly<Record<string, CodeSystem>> = {
  SNOMED: 'snomed', ICD10: 'icd10', ICD10CM: 'icd10cm', LOINC: 'loinc', RxNorm: 'rxnorm', 'RxNorm Extension': 'rxnorm', ATC: 'atc', CVX: 'cvx',
  ICD10PCS: 'icd10pcs', CPT4: 'cpt',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

function kebab(s: string): string {
  return s.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase().replace(/[\s_]+/g, '-').replace(/-+/g, '-');
}

class Reporter {
  readonly out: Diagnostic[] = [];
  constructor(private readonly parsed: ParsedYaml) {}
  at(code: DiagnosticCode, message: string, path: PathSeg[], severity?: 'warning', hint?: string): void {
    const node = this.parsed.doc ? nodeAt(this.parsed.doc, path) : undefined;
    const loc = this.parsed.source.location(node?.range ?? undefined, path);
    const frame = this.parsed.source.frame(loc);
    this.out.push(diag(code, message, loc, { ...(frame ? { frame } : {}), ...(severity ? { severity } : {}), ...(hint ? { hint } : {}) }));
  }
}

/** A code of an imported set: checked, in canonical form; undefined (with a diagnostic) when unusable. */
function importCode(r: Reporter, system: CodeSystem | undefined, code: string | undefined, path: PathSeg[], systemText: string): string | undefined {
  if (!system) {
    r.at('vocabulary/import-skipped', `code ${code ?? '?'} of ${systemText || 'no system'} is in no code system elig knows: left out`, path, 'warning');
    return undefined;
  }
  if (!code) {
    r.at('vocabulary/import-skipped', 'an entry without a code: left out', path, 'warning');
    return undefined;
  }
  const c = isStructural(system) ? code.toUpperCase() : code;
  const problem = codeProblem(system, c);
  if (problem) {
    r.at('code/malformed', problem.message, path, undefined, problem.suggestion ? `did you mean ${problem.suggestion}?` : undefined);
    return undefined;
  }
  return codeKey(system, c);
}

function setConcept(spec: ImportSpec, name: string | undefined, r: Reporter, file: string): Omit<Concept, 'codes'> | undefined {
  const id = spec.as ?? (name ? kebab(name) : undefined);
  if (!id || !/^[a-z0-9][a-z0-9-]*$/.test(id)) {
    r.at('criteria/invalid-value', `name the concept set this file becomes: imports: [{ path: ${file}, as: <id>, kind: condition | drug | vaccine }]`, []);
    return undefined;
  }
  if (!spec.kind) {
    r.at('criteria/invalid-value', `say what kind of concept ${file} is: imports: [{ path: ${file}, as: ${id}, kind: condition | drug | vaccine }]`, []);
    return undefined;
  }
  return { id, kind: spec.kind, display: spec.display ?? name ?? id };
}

function fhirValueSet(v: Obj, spec: ImportSpec, r: Reporter, file: string): Concept[] {
  const base = setConcept(spec, str(v.title) ?? str(v.name), r, file);
  if (!base) return [];
  const codes: string[] = [];
  const exclude: string[] = [];
  const walk = (list: unknown, path: PathSeg[]) => {
    if (!Array.isArray(list)) return;
    list.forEach((c, i) => {
      if (!isObj(c)) return;
      if (c.abstract !== true && str(c.code)) {
        const k = importCode(r, systemOf(str(c.system) ?? ''), str(c.code), [...path, i], str(c.system) ?? '');
        if (k) codes.push(k);
      }
      walk(c.contains, [...path, i, 'contains']);
    });
  };
  if (isObj(v.expansion)) walk(v.expansion.contains, ['expansion', 'contains']);
  const compose = isObj(v.compose) ? v.compose : undefined;
  for (const [part, into] of [['include', codes], ['exclude', exclude]] as const) {
    const list = compose?.[part];
    if (!Array.isArray(list)) continue;
    list.forEach((inc, i) => {
      if (!isObj(inc)) return;
      const systemText = str(inc.system) ?? '';
      const system = systemOf(systemText);
      if (Array.isArray(inc.concept)) {
        inc.concept.forEach((c, j) => {
          const k = importCode(r, system, isObj(c) ? str(c.code) : undefined, ['compose', part, i, 'concept', j], systemText);
          if (k) into.push(k);
        });
      }
      if (inc.filter !== undefined || inc.valueSet !== undefined || !Array.isArray(inc.concept)) {
        r.at('vocabulary/import-skipped', `compose.${part}[${i}] selects ${inc.filter !== undefined ? 'by filter' : inc.valueSet !== undefined ? 'other value sets' : `the whole of ${systemText || 'a code system'}`}: elig cannot expand it offline; export the ValueSet with its expansion`, ['compose', part, i], 'warning');
      }
    });
  }
  if (!codes.length) r.at('vocabulary/import-skipped', `${file}: the ValueSet lists no code elig can use (no expansion.contains, no compose.include[].concept)`, [], 'warning');
  return [{ ...base, codes: [...new Set(codes)], ...(exclude.length ? { exclude: [...new Set(exclude)] } : {}) }];
}

function atlasConceptSet(v: Obj, spec: ImportSpec, r: Reporter, file: string): Concept[] {
  const expression = isObj(v.expression) ? v.expression : v;
  const itemsPath: PathSeg[] = isObj(v.expression) ? ['expression', 'items'] : ['items'];
  const base = setConcept(spec, str(v.name), r, file);
  if (!base) return [];
  const codes: string[] = [];
  const descendants: string[] = [];
  const exclude: string[] = [];
  const synonyms: string[] = [];
  (expression.items as unknown[]).forEach((item, i) => {
    if (!isObj(item) || !isObj(item.concept)) return;
    const c = item.concept;
    const vocab = str(c.VOCABULARY_ID) ?? '';
    const system = own(OMOP_VOCABULARIES, vocab);
    const k = importCode(r, system, str(c.CONCEPT_CODE), [...itemsPath, i, 'concept'], `OMOP vocabulary ${vocab}`);
    if (!k) return;
    const desc = item.includeDescendants === true;
    if (item.includeMapped === true) {
      r.at('vocabulary/import-skipped', `includeMapped on ${k}: codes mapped to it are not followed offline; only ${k} ${desc ? 'and its descendants ' : ''}match`, [...itemsPath, i, 'includeMapped'], 'warning');
    }
    if (desc && !isStructural(system!)) {
      r.at('vocabulary/import-skipped', `includeDescendants on ${k}: ${system} has no release here to expand its descendants; only ${k} itself matches (list the descendants, or export the resolved concept set)`, [...itemsPath, i, 'includeDescendants'], 'warning');
    }
    if (item.isExcluded === true) exclude.push(k); // exclusions always take their structural descendants
    else if (desc && isStructural(system!)) descendants.push(k);
    else codes.push(k);
    const name = str(c.CONCEPT_NAME);
    if (name && item.isExcluded !== true) synonyms.push(name);
  });
  return [normaliseConcept({
    ...base,
    ...(codes.length ? { codes: [...new Set(codes)] } : {}),
    ...(descendants.length ? { descendants: [...new Set(descendants)] } : {}),
    ...(exclude.length ? { exclude: [...new Set(exclude)] } : {}),
    ...(synonyms.length ? { synonyms: [...new Set(synonyms)] } : {}),
  }, () => undefined)];
}

/** Read one imported file. */
export function readImport(spec: ImportSpec, file: string, text: string): ImportResult {
  const sha256 = sha256Hex(text);
  const parsed = parseYaml(file, text);
  if (parsed.diagnostics.length) return { concepts: [], diagnostics: parsed.diagnostics, sha256, format: 'unknown' };
  const v = parsed.value;
  const r = new Reporter(parsed);
  if (isObj(v) && v.schema === 'elig/vocabulary@1') {
    const l = loadVocabularyFile(file, text);
    return { concepts: l.loaded?.concepts ?? [], diagnostics: l.diagnostics, sha256, format: 'vocabulary' };
  }
  if (isObj(v) && v.resourceType === 'ValueSet') {
    const concepts = fhirValueSet(v, spec, r, file);
    return { concepts, diagnostics: r.out, sha256, format: 'fhir-valueset' };
  }
  if (isObj(v) && (Array.isArray(v.items) || (isObj(v.expression) && Array.isArray(v.expression.items)))) {
    const concepts = atlasConceptSet(v, spec, r, file);
    return { concepts, diagnostics: r.out, sha256, format: 'atlas-concept-set' };
  }
  r.at('criteria/invalid-value', `${file} is neither an elig vocabulary file (schema: elig/vocabulary@1), a FHIR ValueSet nor an ATLAS concept set expression (items[])`, []);
  return { concepts: [], diagnostics: r.out, sha256, format: 'unknown' };
}
