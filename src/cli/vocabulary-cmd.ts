/** `elig vocabulary search|show`: find concept ids and see what a concept (or group) contains. Exit 0 when found, 1 when not. */
import { formatConcept, searchVocabulary, showConcept, suggestConcept, VOCABULARY_STAMP } from '../index.js';
import { EXIT } from './exit-code.js';
import type { Io } from './io.js';

export function runVocabularySearch(text: string, format: 'human' | 'json', io: Io): number {
  const hits = searchVocabulary(text);
  if (format === 'json') io.stdout.write(`${JSON.stringify({ vocabulary: VOCABULARY_STAMP, query: text, concepts: hits }, null, 2)}\n`);
  else if (!hits.length) io.stdout.write(`no concept matches "${text}" (vocabulary v${VOCABULARY_STAMP.version}); a criterion may name a code directly (loinc:…, icd10:…*, atc:…*)\n`);
  else {
    const w = Math.min(32, Math.max(...hits.map((h) => h.id.length)));
    for (const h of hits) io.stdout.write(`${h.id.padEnd(w)}  ${h.kind.padEnd(11)}  ${h.display}  [${h.matched}]\n`);
  }
  return hits.length ? EXIT.ok : EXIT.findings;
}

export function runVocabularyShow(id: string, format: 'human' | 'json', io: Io): number {
  const c = showConcept(id);
  if (!c) {
    const close = suggestConcept(id);
    const near = close ? [close] : searchVocabulary(id, 5).map((h) => h.id);
    io.stderr.write(`elig: no concept "${id}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}\n`);
    return EXIT.findings;
  }
  io.stdout.write(format === 'json' ? `${JSON.stringify(c, null, 2)}\n` : formatConcept(c));
  return EXIT.ok;
}
