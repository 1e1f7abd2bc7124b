/** Engine API list filters: `label=key=value` / `label=key` pairs and name prefixes. */
export interface ListFilter {
  labels?: Record<string, string | true>
  name?: string
}

export function toFilters(filter: ListFilter = {}): string {
  const result: Record<string, string[]> = {}
  const labels = Object.entries(filter.labels ?? {}).map(([key, value]) =>
    value === true ? key : `${key}=${value}`,
  )
  if (labels.length > 0) {
    result.label = labels
  }
  if (filter.name !== undefined) {
    result.name = [filter.name]
  }
  return JSON.stringify(result)
}

/** The label `docker stack deploy` puts on every object of a stack. */
export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace'

/**
 * An object's name within its stack, as compose names it: `<stack>_db-data` -> `db-data`,
 * `<stack>_app` -> `app`; a name without the stack's prefix is returned unchanged.
 */
export function stackLocalName(stack: string, name: string): string {
  return name.startsWith(`${stack}_`) ? name.slice(stack.length + 1) : name
}
