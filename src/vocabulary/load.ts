/**
 * Loading vocabulary files (the built-in vocabulary/*.yaml, concept files a criteria file imports):
 * YAML text → validated, normalised concepts, or diagnostics with file:line:col and a code frame,
 * as for criteria files. `checkConcepts` checks a set of files together (unique ids and codes,
 * parents defined, of the same kind, without cycles). Pure: text in, values out.
 */
import { createHash } from 'node:crypto';
import { diag } from '../diagnostics.js';
import type { Diagnostic, SourceLocation } from '../model.js';
import { Collector, describe, isPlainObject, suggest, type SchemaCodes } from '../language/collector.js';
import { nodeAt, parseYaml, type PathSeg } from '../language/yaml-source.js';
import { codeKey, codeProblem, isIcdBlock, isStructural, parseCode } from './codes.js';
import { conceptSchema, domainOf, MEASUREMENT_FIELDS, VOCABULARY_SCHEMA_VERSION, vocabularyFileSchema, type Concept, type VocabularyData } from './schema.js';

const VOCABULARY_CODES: SchemaCodes = {
  unknownKey: 'vocabulary/unknown-key', missingKey: 'vocabulary/missing-key', invalidType: 'vocabulary/invalid-type', invalidValue: 'vocabulary/invalid-value',
};

export interface LoadedVocabularyFile {
  file: string;
  sha256: string;
  version?: string;
  concepts: Concept[];
  /** Where concept i (and a path inside it) is in the file. */
  locate: (i: number, path?: PathSeg[]) => { location: SourceLocation; frame?: string };
}

export interface VocabularyLoadResult {
  loaded?: LoadedVocabularyFile;
  diagnostics: Diagnostic[];
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The sha256 of a set of files: over the lines `<name> <sha256>` in name order (stable, independent of paths). */
export function combinedSha256(files: readonly { file: string; sha256: string }[]): string {
  const lines = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)).map((f) => `${f.file} ${f.sha256}\n`);
  return sha256Hex(lines.join(''));
}

const CODE_LISTS = ['codes', 'descendants', 'exclude', 'unverified'] as const;

/** Validate and normalise one file. */
export function loadVocabularyFile(file: string, text: string): VocabularyLoadResult {
  const parsed = parseYaml(file, text);
  if (parsed.diagnostics.length || !parsed.doc) return { diagnostics: parsed.diagnostics };
  const c = new Collector(parsed.source, parsed.doc, VOCABULARY_CODES);
  const value = parsed.value;
  if (!isPlainObject(value)) {
    c.at('vocabulary/invalid-type', `a vocabulary file is a mapping with schema and concepts; got ${describe(value)}`, []);
    return { diagnostics: c.out };
  }
  if (value.schema !== VOCABULARY_SCHEMA_VERSION) {
    c.at('vocabulary/unknown-schema',
      value.schema === undefined ? 'missing "schema" (the vocabulary format version)' : `unknown vocabulary format version ${JSON.stringify(value.schema)}`,
      value.schema === undefined ? [] : ['schema'], { hint: `this elig reads ${VOCABULARY_SCHEMA_VERSION}` });
    return { diagnostics: c.out };
  }
  // the file, then each concept on its own (precise locations, every problem reported)
  const { concepts: rawConcepts, ...head } = value;
  const top = vocabularyFileSchema.omit({ concepts: true }).safeParse(head, { reportInput: true });
  if (!top.success) c.zodIssues(top.error, [], Object.keys(vocabularyFileSchema.shape));
  if (!Array.isArray(rawConcepts)) {
    c.at(rawConcepts === undefined ? 'vocabulary/missing-key' : 'vocabulary/invalid-type', `"concepts" is a list of concepts${rawConcepts === undefined ? '' : `, got ${describe(rawConcepts)}`}`, rawConcepts === undefined ? [] : ['concepts']);
    return { diagnostics: c.out };
  }
  const keys = Object.keys(conceptSchema.shape);
  const concepts: Concept[] = [];
  rawConcepts.forEach((raw, i) => {
    const path: PathSeg[] = ['concepts', i];
    const r = conceptSchema.safeParse(raw, { reportInput: true });
    if (!r.success) {
      c.zodIssues(r.error, path, keys);
      return;
    }
    const concept = normaliseConcept(r.data, (code, msg, p, hint) => c.at(code, msg, [...path, ...p], hint ? { hint } : {}));
    concepts.push(concept);
  });
  if (c.out.length) return { diagnostics: c.out };
  const locate = (i: number, path: PathSeg[] = []) => {
    const full: PathSeg[] = ['concepts', i, ...path];
    const node = nodeAt(parsed.doc!, full);
    const location = parsed.source.location(node?.range ?? undefined, full);
    const frame = parsed.source.frame(location);
    return { location, ...(frame ? { frame } : {}) };
  };
  return {
    loaded: { file, sha256: sha256Hex(text), ...(typeof value.version === 'string' ? { version: value.version } : {}), concepts, locate },
    diagnostics: [],
  };
}

export type Report = (code: 'code/malformed' | 'vocabulary/misplaced-field' | 'vocabulary/invalid-value', message: string, path: PathSeg[], hint?: string) => void;

/** Codes in canonical case, descendants checked to be structural, measurement-only fields on measurements. */
export function normaliseConcept(concept: Concept, report: Report): Concept {
  const out: Concept = { ...concept };
  for (const list of CODE_LISTS) {
    const codes = concept[list];
    if (!codes) continue;
    out[list] = codes.map((text, j) => {
      const p = parseCode(text);
      if (!p) return text;
      const { system, code } = p.parsed;
      const structuralList = list === 'descendants' || list === 'exclude';
      const blockAllowed = structuralList || list === 'unverified';
      if (p.parsed.descendants) {
        report('code/malformed', `${text}: write the code without *; ${structuralList ? `"${list}" already means the code and its descendants` : 'a concept\'s codes match exactly: put codes whose descendants match under "descendants"'}`, [list, j]);
      } else if (list === 'descendants' && !isStructural(system)) {
        report('vocabulary/invalid-value', `${text}: ${system} codes have no structure elig can follow offline; list them under "codes"`, [list, j]);
      } else if (!(blockAllowed && isIcdBlock(system, code))) {
        const problem = codeProblem(system, code, blockAllowed);
        if (problem) report('code/malformed', problem.message, [list, j], problem.suggestion ? `did you mean ${problem.suggestion}?` : undefined);
      }
      return codeKey(system, code);
    });
  }
  if (concept.kind !== 'measurement') {
    for (const f of MEASUREMENT_FIELDS) {
      if (concept[f] !== undefined) report('vocabulary/misplaced-field', `"${f}" applies to measurements only, not to a ${concept.kind}`, [f]);
    }
  }
  if (concept.plausible && concept.plausible.min > concept.plausible.max) {
    report('vocabulary/invalid-value', `plausible range ${concept.plausible.min}–${concept.plausible.max} is empty`, ['plausible']);
  }
  if (concept.values && !concept.qualitative) out.qualitative = true;
  return out;
}

/**
 * Checks across files: ids and exact codes unique, parents defined and of the same kind (domain),
 * no concept its own ancestor. `base` concepts (the built-in vocabulary, when checking an imported
 * file) may be named as parents but are not checked again.
 */
export function checkConcepts(files: readonly LoadedVocabularyFile[], base: readonly Concept[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (f: LoadedVocabularyFile, i: number, path: PathSeg[], code: Parameters<typeof diag>[0], message: string, hint?: string) => {
    const { location, frame } = f.locate(i, path);
    out.push(diag(code, message, location, { ...(frame ? { frame } : {}), ...(hint ? { hint } : {}) }));
  };
  const byId = new Map<string, { concept: Concept; where?: string }>();
  for (const c of base) byId.set(c.id, { concept: c });
  const codeOwner = new Map<string, { id: string; where: string }>();
  for (const f of files) {
    f.concepts.forEach((c, i) => {
      const where = `${f.file}:${f.locate(i).location.line ?? '?'}`;
      const prev = byId.get(c.id);
      if (prev?.where) at(f, i, ['id'], 'vocabulary/duplicate-id', `concept "${c.id}" is already defined at ${prev.where}`);
      else byId.set(c.id, { concept: c, where });
      (c.codes ?? []).forEach((code, j) => {
        const owner = codeOwner.get(code);
        if (owner && owner.id !== c.id) at(f, i, ['codes', j], 'vocabulary/duplicate-code', `${code} already means "${owner.id}" (${owner.where}); a code means one concept`, 'make one concept the parent of the other');
        else codeOwner.set(code, { id: c.id, where });
      });
    });
  }
  for (const f of files) {
    f.concepts.forEach((c, i) => {
      (c.parents ?? []).forEach((p, j) => {
        const parent = byId.get(p)?.concept;
        if (!parent) {
          const s = suggest(p, [...byId.keys()]);
          at(f, i, ['parents', j], 'vocabulary/unknown-parent', `parent "${p}" is not a concept`, s ? `did you mean "${s}"?` : 'define the group as a concept of the same kind');
        } else if (domainOf(parent.kind) !== domainOf(c.kind)) {
          at(f, i, ['parents', j], 'vocabulary/parent-kind', `"${c.id}" is a ${c.kind} but its parent "${p}" is a ${parent.kind}`);
        }
      });
    });
  }
  // cycles
  const state = new Map<string, 1 | 2>();
  const cyclic = new Set<string>();
  const visit = (id: string, stack: string[]): void => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) {
      for (const x of stack.slice(stack.indexOf(id))) cyclic.add(x);
      return;
    }
    state.set(id, 1);
    for (const p of byId.get(id)?.concept.parents ?? []) if (byId.has(p)) visit(p, [...stack, id]);
    state.set(id, 2);
  };
  for (const id of byId.keys()) visit(id, []);
  for (const f of files) {
    f.concepts.forEach((c, i) => {
      if (cyclic.has(c.id)) at(f, i, ['parents'], 'vocabulary/parent-cycle', `"${c.id}" is its own ancestor through its parents`);
    });
  }
  return out;
}

/** Validate a whole vocabulary (the built-in one: every vocabulary/*.yaml) and compile it to data. */
export function compileVocabulary(files: readonly { file: string; text: string }[], version: string): { data?: VocabularyData; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const loaded: LoadedVocabularyFile[] = [];
  for (const f of files) {
    const r = loadVocabularyFile(f.file, f.text);
    diagnostics.push(...r.diagnostics);
    if (r.loaded) loaded.push(r.loaded);
  }
  if (!diagnostics.length) diagnostics.push(...checkConcepts(loaded));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const hashes = loaded.map((l) => ({ file: l.file.replace(/^.*[\\/]/, ''), sha256: l.sha256 }));
  return {
    data: { version, sha256: combinedSha256(hashes), files: hashes, concepts: loaded.flatMap((l) => l.concepts) },
    diagnostics,
  };
}
