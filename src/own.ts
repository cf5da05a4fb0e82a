/**
 * Lookups keyed by data. A plain object answers `constructor`, `toString` or `__proto__` from its
 * prototype, so a unit, code or column with such a name must never be looked up with `o[key]` or
 * `key in o`: use a Map, or these helpers, which see own properties only.
 */
export function own<T>(o: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
}

export function hasOwn(o: object | undefined, key: string): boolean {
  return o !== undefined && Object.hasOwn(o, key);
}

/** `o[key] = value` as an own property, even for `__proto__` (which assignment would treat as the prototype). */
export function setOwn(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Paths of the keys named `__proto__` in a parsed document. Schema validation (zod records) would
 * drop them silently, so the loaders report them instead.
 */
export function protoKeyPaths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = [], depth = 0): (string | number)[][] {
  if (depth > 256 || typeof value !== 'object' || value === null) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => protoKeyPaths(v, [...path, i], out, depth + 1));
    return out;
  }
  for (const k of Object.keys(value)) {
    if (k === '__proto__') out.push([...path, k]);
    else protoKeyPaths((value as Record<string, unknown>)[k], [...path, k], out, depth + 1);
  }
  return out;
}
