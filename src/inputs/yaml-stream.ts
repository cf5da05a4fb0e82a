/**
 * Incremental splitter for YAML patient files: a multi-document stream is split at `---` / `...`,
 * and a document that is a top-level block sequence is split into its items (`- ` at column 0),
 * so a 100k-record YAML list is parsed one record at a time. Each piece keeps its first line so
 * diagnostics point into the original file. Pure: text lines in, pieces out.
 * Limit: anchors and aliases cannot cross records when a list is split.
 */

export interface YamlPiece {
  text: string;
  /** 1-based line of the piece's first line in the file. */
  line: number;
  /** true when the piece is one item of a top-level sequence (its leading `-` replaced by a space). */
  item: boolean;
}

const DOC_START = /^---(\s|$)/;
const DOC_END = /^\.\.\.(\s|$)/;
const ITEM = /^-(\s|$)/;
const CONTENT = /^[^\s#]/;

export class YamlSplitter {
  private lines: string[] = [];
  private chars = 0;
  private first = 1;
  private lineNo = 0;
  private inSeq = false;
  private seen = false; // any content line in the current document
  /** The current piece began at a `- ` item line (an empty item is still a record). */
  private isItem = false;
  /** Set when a piece grew past `maxChars` (the caller stops reading): where that piece began. */
  overflow: { line: number } | undefined;

  constructor(private readonly maxChars = Infinity) {}

  /** Feed one line (without its newline); returns completed pieces. */
  line(l: string): YamlPiece[] {
    this.lineNo++;
    const out: YamlPiece[] = [];
    if (DOC_START.test(l) || DOC_END.test(l)) {
      this.flush(out);
      this.inSeq = false;
      this.seen = false;
      const rest = DOC_START.test(l) ? l.replace(/^---\s?/, '') : '';
      this.first = this.lineNo + (rest.trim() ? 0 : 1);
      if (rest.trim()) this.lines.push(' '.repeat(l.length - rest.length) + rest);
      return out;
    }
    if (!this.seen && CONTENT.test(l)) {
      this.seen = true;
      if (ITEM.test(l)) this.inSeq = true;
    }
    if (this.inSeq && ITEM.test(l)) {
      this.flush(out);
      this.first = this.lineNo;
      this.isItem = true;
      this.add(` ${l.slice(1)}`);
      return out;
    }
    if (!this.lines.length) this.first = this.lineNo;
    this.add(l);
    return out;
  }

  private add(l: string): void {
    this.lines.push(l);
    this.chars += l.length + 1;
    if (this.chars > this.maxChars) {
      this.overflow ??= { line: this.first };
      this.lines = [];
      this.chars = 0;
    }
  }

  end(): YamlPiece[] {
    const out: YamlPiece[] = [];
    this.flush(out);
    return out;
  }

  private flush(out: YamlPiece[]): void {
    // a piece with content, or an empty list item (`-`: a null record, reported, never dropped)
    if (this.isItem || this.lines.some((x) => /^\s*[^\s#]/.test(x))) {
      out.push({ text: this.lines.join('\n'), line: this.first, item: this.inSeq });
    }
    this.lines = [];
    this.chars = 0;
    this.isItem = false;
  }
}
