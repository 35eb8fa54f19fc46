// Process-wide memo for decoded datasets: several runs and tests open the same data, and
// decoding (gunzip, PNG sheets, folders) is the slow part. A failed load is forgotten so
// that a later open (e.g. after installing a missing package) tries again.
const loads = new Map<string, Promise<unknown>>();

export function memoize<T>(key: string, load: () => Promise<T>): Promise<T> {
  const known = loads.get(key);
  if (known) return known as Promise<T>;
  const loading = load();
  loads.set(key, loading);
  loading.catch(() => loads.delete(key));
  return loading;
}
