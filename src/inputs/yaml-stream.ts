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
  private first = 1;
  private lineNo = 0;
  private inSeq = false;
  private seen = false; // any content line in the current document

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
      this.lines.push(` ${l.slice(1)}`);
      return out;
    }
    if (!this.lines.length) this.first = this.lineNo;
    this.lines.push(l);
    return out;
  }

  end(): YamlPiece[] {
    const out: YamlPiece[] = [];
    this.flush(out);
    return out;
  }

  private flush(out: YamlPiece[]): void {
    if (this.lines.some((x) => /^\s*[^\s#]/.test(x))) {
      out.push({ text: this.lines.join('\n'), line: this.first, item: this.inSeq });
    }
    this.lines = [];
  }
}
