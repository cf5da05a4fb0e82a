import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

async function run(args: string[]) {
  const io = memIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('elig vocabulary search', () => {
  it('finds concepts by name, synonym and id, best match first (human)', async () => {
    const r = await run(['vocabulary', 'search', 'lupus']);
    expect(r.code).toBe(0);
    const ids = r.out.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(ids[0]).toBe('sle'); // the synonym "lupus" is an exact match
    expect(ids).toEqual(expect.arrayContaining(['lupus-nephritis', 'neuropsychiatric-lupus']));
  });
  it('a code finds its concept and what a record coded so means (json)', async () => {
    const r = await run(['vocabulary', 'search', 'icd10:M32.14', '-f', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { vocabulary: { version: string; sha256: string }; concepts: { id: string; matched: string }[] };
    expect(j.vocabulary.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(j.concepts.map((c) => c.id)).toEqual(['lupus-nephritis', 'sle']);
    expect(j.concepts[0]!.matched).toBe('code icd10:M32.14');
  });
  it('several words are one query; no match exits 1 and says codes work directly', async () => {
    expect((await run(['vocabulary', 'search', 'live', 'vaccine'])).out).toContain('live-vaccine');
    const r = await run(['vocabulary', 'search', 'zzzz-nothing']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('a criterion may name a code directly');
  });
});

describe('elig vocabulary show', () => {
  it('a group lists its members (human)', async () => {
    const r = await run(['vocabulary', 'show', 'immunosuppressant']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^immunosuppressant {2}\(drug\)/);
    expect(r.out).toMatch(/members +cyclophosphamide, mycophenolate, azathioprine/);
  });
  it('a concept with codes, groups, unit and range (json)', async () => {
    const r = await run(['vocabulary', 'show', 'lupus-nephritis', '-f', 'json']);
    const j = JSON.parse(r.out) as { id: string; codes: string[]; ancestors: string[]; members: string[] };
    expect(j).toMatchObject({ id: 'lupus-nephritis', ancestors: ['sle'], members: [] });
    expect(j.codes).toContain('icd10:M32.14');
    const e = await run(['vocabulary', 'show', 'egfr']);
    expect(e.out).toMatch(/plausible +0–200 mL\/min\/\{1\.73_m2\}/);
    expect(e.out).toMatch(/calculator +egfr/);
  });
  it('by a name or synonym too; an unknown id exits 1 with a did-you-mean', async () => {
    expect((await run(['vocabulary', 'show', 'plaquenil'])).out).toMatch(/^hydroxychloroquine/);
    const r = await run(['vocabulary', 'show', 'carr-t']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('did you mean car-t?');
  });
});
