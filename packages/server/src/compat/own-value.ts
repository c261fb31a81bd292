/**
 * A lookup table's own entry for a caller-given key, or undefined. Plain `table[key]` would answer
 * `?status=valueOf` or a config key `constructor` with what every object inherits.
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
