/** Small deterministic collection helpers: proxy routes must come out the same for the same labels. */

export function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    groups.set(k, [...(groups.get(k) ?? []), item])
  }
  return [...groups.entries()].sort(([a], [b]) => compareText(a, b)).map(([, group]) => group)
}

export function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText)
}

export function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) {
    list.push(value)
  }
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
