/** Compile vocabulary/*.yaml into src/vocabulary/builtin.gen.ts before the tests (the tests import the engine from src). */
const SCRIPT = '../scripts/vocabulary.mjs';

export default async function setup(): Promise<void> {
  const { generate } = (await import(SCRIPT)) as { generate: () => Promise<boolean> };
  if (!(await generate())) throw new Error('vocabulary/*.yaml has errors (see above): src/vocabulary/builtin.gen.ts not written');
}
