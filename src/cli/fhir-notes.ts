/**
 * FHIR resources a mapping did not use: counted by type for a one-line note on stderr, and listed
 * per patient with `elig check --verbose`. They never fail a record.
 */
import { visible, type InputItem } from '../index.js';
import type { OutStream } from './io.js';

export class UnmappedTally {
  private total = 0;
  private readonly byType = new Map<string, number>();
  private readonly lines: string[] = [];

  constructor(private readonly verbose: boolean) {}

  add(item: InputItem, id: string): void {
    if (item.kind !== 'record' || !item.unmapped?.length) return;
    this.total += item.unmapped.length;
    for (const u of item.unmapped) {
      const t = u.ref.slice(0, u.ref.indexOf('/'));
      this.byType.set(t, (this.byType.get(t) ?? 0) + 1);
    }
    if (this.verbose) {
      this.lines.push(`${item.source.file}#${item.source.record ?? 1} ${id}: ${item.unmapped.length} FHIR resource${item.unmapped.length === 1 ? '' : 's'} not mapped`);
      for (const u of item.unmapped) this.lines.push(`  ${u.ref}: ${u.why}`);
    }
  }

  /** The listing (verbose) and the count by resource type, on stderr. */
  print(err: OutStream): void {
    if (!this.total) return;
    for (const l of this.lines) err.write(`${visible(l)}\n`); // resource ids and reasons come from the input
    const types = [...this.byType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t, n]) => `${t} ${n}`).join(', ');
    err.write(`elig: ${this.total} FHIR resource${this.total === 1 ? '' : 's'} not mapped (${visible(types)})${this.verbose ? '' : '; --verbose lists them'}\n`);
  }
}
