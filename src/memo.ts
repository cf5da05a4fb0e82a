/**
 * A bounded memo for pure functions of one string (vocabulary lookups, code folding): records repeat
 * the same few codes, so most calls become one Map lookup. The cache is cleared when it reaches
 * `max` entries, so odd inputs cannot make it grow without bound.
 */
export function memoString<T>(f: (s: string) => T, max = 8192): (s: string) => T {
  const cache = new Map<string, T>();
  return (s) => {
    const v = cache.get(s);
    if (v !== undefined || cache.has(s)) return v as T;
    const out = f(s);
    if (cache.size >= max) cache.clear();
    cache.set(s, out);
    return out;
  };
}
