/**
 * Incremental splitter for a JSON document that is one object or an array of objects: feeds text
 * chunks, emits each top-level array element's text (or the whole value) with its line, so a large
 * array is never held whole. Pure: no I/O; the caller parses each element with JSON.parse.
 */

export interface JsonPiece {
  text: string;
  /** 1-based line where the piece starts. */
  line: number;
  /** 1-based index of the element (1 for a top-level object). */
  index: number;
}

export class JsonArraySplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** 'unknown' until the first non-space character; then 'array' or 'value'. */
  private mode: 'unknown' | 'array' | 'value' | 'done' = 'unknown';
  private buf: Buffer[] = [];
  private pieceLine = 1;
  private line = 1;
  private index = 0;
  private started = false;
  /** Text after the top-level value closed (should be whitespace; the first 64 characters are kept). */
  trailing = '';
  /** Line where that text begins. */
  trailingLine: number | undefined;
  /** Characters buffered for the current piece. */
  private size = 0;
  /** Set when a piece grew past `maxChars` (the caller stops reading): where it began. */
  overflow: { line: number; index: number } | undefined;

  /** Between top-level elements: after `[`, after a comma, or after an element. */
  private sep: 'open' | 'comma' | 'element' = 'open';
  /** Problems in the list's punctuation (holes, trailing commas), for the caller to report and clear. */
  warnings: { line: number; message: string }[] = [];

  constructor(private readonly maxChars = Infinity) {}

  /**
   * Feed a chunk (text, or UTF-8 bytes: the scan is byte-wise, as every structural character is
   * ASCII and no byte of a multi-byte UTF-8 sequence is); returns the pieces completed in it. A
   * piece is held as bytes, outside the JS heap, until it is whole.
   */
  push(input: string | Buffer): JsonPiece[] {
    const chunk = typeof input === 'string' ? Buffer.from(input) : input;
    const out: JsonPiece[] = [];
    const text = (): string => (this.buf.length === 1 ? this.buf[0]! : Buffer.concat(this.buf)).toString('utf8');
    let start = 0; // start of the current piece's text inside this chunk (when collecting)
    const collecting = () => this.started;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (ch === 10) this.line++;
      if (this.mode === 'done') {
        if (!(ch === 32 || ch === 10 || ch === 13 || ch === 9) && this.trailing.length < 64) {
          this.trailingLine ??= this.line;
          this.trailing += String.fromCharCode(ch);
        }
        continue;
      }
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (ch === 92) this.escape = true;
        else if (ch === 34) this.inString = false;
        continue;
      }
      if (this.mode === 'unknown') {
        // white space, and the UTF-8 byte order mark (EF BB BF) before the value
        if (ch === 32 || ch === 10 || ch === 13 || ch === 9 || ch === 0xef || ch === 0xbb || ch === 0xbf) continue;
        if (ch === 91 /* [ */) {
          this.mode = 'array';
          continue;
        }
        this.mode = 'value';
        this.started = true;
        this.pieceLine = this.line;
        start = i;
        this.index = 1;
      }
      if (this.mode === 'array' && this.depth === 0 && !collecting()) {
        if (ch === 32 || ch === 10 || ch === 13 || ch === 9) continue;
        // JSON.parse never sees the list itself: its commas are checked here (a hole or a trailing
        // comma loses nothing, but is not JSON: reported as a warning with its line)
        if (ch === 44 /* , */) {
          if (this.sep !== 'element') this.warnings.push({ line: this.line, message: this.sep === 'open' ? 'a comma before the first element of the list' : 'two commas in a row (a hole in the list)' });
          this.sep = 'comma';
          continue;
        }
        if (ch === 93 /* ] */) {
          if (this.sep === 'comma') this.warnings.push({ line: this.line, message: 'a trailing comma before ]' });
          this.mode = 'done';
          continue;
        }
        if (this.sep === 'element') this.warnings.push({ line: this.line, message: 'no comma between two elements of the list' });
        this.sep = 'element';
        this.started = true;
        this.pieceLine = this.line;
        this.index++;
        start = i;
      }
      if (this.depth === 0 && this.started && this.mode === 'array' && (ch === 44 || ch === 93 || ch === 10 || ch === 13 || ch === 32 || ch === 9) && i > start) {
        // a scalar element (not a record; the caller reports it) ended at a delimiter
        const first = this.buf.length ? this.buf[0]![0] : chunk[start];
        if (first !== 123 && first !== 91) {
          this.buf.push(chunk.subarray(start, i));
          out.push({ text: text(), line: this.pieceLine, index: this.index });
          this.buf = [];
          this.size = 0;
          this.started = false;
          if (ch === 93) this.mode = 'done';
          continue;
        }
      }
      if (ch === 34) {
        this.inString = true;
        continue;
      }
      if (ch === 123 || ch === 91) this.depth++;
      else if (ch === 125 || ch === 93) this.depth--;
      if (this.depth === 0 && (ch === 125 || ch === 93) && collecting()) {
        // a top-level element (object or array) just closed
        this.buf.push(chunk.subarray(start, i + 1));
        out.push({ text: text(), line: this.pieceLine, index: this.index });
        this.buf = [];
        this.size = 0;
        this.started = false;
        if (this.mode === 'value') this.mode = 'done';
      }
    }
    if (this.started) {
      const rest = chunk.subarray(start);
      this.buf.push(rest);
      this.size += rest.length;
      if (this.size > this.maxChars) {
        this.overflow ??= { line: this.pieceLine, index: this.index };
        this.buf = [];
      }
    }
    return out;
  }

  /** End of input: any unfinished piece is returned for the caller to report. */
  end(): { unfinished?: JsonPiece; empty: boolean; unclosedArray: boolean } {
    const r: { unfinished?: JsonPiece; empty: boolean; unclosedArray: boolean } = {
      empty: this.mode === 'unknown',
      unclosedArray: this.mode === 'array',
    };
    if (this.started && this.buf.length) r.unfinished = { text: Buffer.concat(this.buf).toString('utf8'), line: this.pieceLine, index: this.index };
    return r;
  }
}
