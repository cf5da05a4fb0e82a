/**
 * One sanitiser for every human and line-oriented output (human, markdown, tap, junit, csv, GitHub
 * annotations, SARIF text, diagnostics on stderr, `elig test` and `elig validate` output): the
 * characters a record or a criteria file could use to act on a terminal or forge a line become
 * visible escapes.
 *
 *   C0 controls (TAB, LF, CR, ESC, BEL, …), DEL, C1 controls (NEL U+0085, CSI U+009B, …), the line and
 *   paragraph separators U+2028/U+2029, the bidi embeddings and overrides U+202A–U+202E and the bidi
 *   isolates U+2066–U+2069
 *
 * become `\n`, `\r`, `\t` or `\uXXXX`. Such a string cannot clear the screen, hide a link, move the
 * cursor back over another patient's verdict, start a new line (a forged TAP `ok` or a GitHub
 * `::error::` command) or reorder what is shown. The `\uXXXX` form is also a valid escape inside a
 * JSON or YAML double-quoted string, so `visible(JSON.stringify(s))` is a quoted scalar that still
 * decodes to `s` exactly. Strings without such characters are returned as they are (one regex test).
 * Machine formats that escape by construction (json, ndjson) do not need it.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE_TEST = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(ch: string): string {
  return NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `s` with every control, separator and bidi-control character as a visible escape. */
export function visible(s: string): string {
  return UNSAFE_TEST.test(s) ? s.replace(UNSAFE, escape) : s;
}

/** True when `s` has a character `visible` would escape. */
export function hasUnsafe(s: string): boolean {
  return UNSAFE_TEST.test(s);
}
