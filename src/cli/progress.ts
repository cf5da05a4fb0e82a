/**
 * A progress line on stderr for long runs (records done, rate, ETA when the total size is known),
 * only when stderr is a TTY and not --quiet. Redrawn at most every 250 ms; cleared at the end.
 */
import type { Io } from './io.js';

const EVERY_MS = 250;

export class Progress {
  private readonly on: boolean;
  private readonly start = Date.now();
  private last = 0;
  private read = 0;
  private shown = false;

  constructor(private readonly io: Io, enabled: boolean, private readonly totalBytes: number) {
    this.on = enabled && io.stderr.isTTY === true;
  }

  bytes(n: number): void {
    this.read += n;
  }

  update(records: number): void {
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < EVERY_MS) return;
    this.last = now;
    const secs = (now - this.start) / 1000;
    const rate = secs > 0 ? records / secs : 0;
    let line = `elig: ${records.toLocaleString('en-US')} records · ${Math.round(rate).toLocaleString('en-US')}/s`;
    if (this.totalBytes > 0 && this.read > 0) {
      const frac = Math.min(1, this.read / this.totalBytes);
      const eta = frac > 0 ? secs * (1 - frac) / frac : 0;
      line += ` · ${Math.round(frac * 100)}% · ETA ${Math.floor(eta / 60)}:${String(Math.round(eta % 60)).padStart(2, '0')}`;
    }
    this.io.stderr.write(`\r${line}\x1b[K`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.io.stderr.write('\r\x1b[K');
  }
}
