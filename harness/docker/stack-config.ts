import { parse } from 'yaml'
import { z } from 'zod'
import { CcciError } from '../errors.ts'
import { runCommand } from '../process/index.ts'

const Labels = z
  .union([z.record(z.string(), z.string().nullable()), z.array(z.string())])
  .optional()
  .transform((value): Record<string, string> => {
    if (value === undefined) {
      return {}
    }
    if (Array.isArray(value)) {
      return Object.fromEntries(
        value.map((item) => {
          const at = item.indexOf('=')
          return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)]
        }),
      )
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v ?? '']))
  })

const Service = z.looseObject({
  image: z.string().optional(),
  environment: z.record(z.string(), z.string().nullable()).optional(),
  deploy: z.looseObject({ labels: Labels }).optional(),
  volumes: z
    .array(
      z.looseObject({
        type: z.string().optional(),
        source: z.string().optional(),
        target: z.string(),
      }),
    )
    .optional(),
  secrets: z.array(z.looseObject({ source: z.string() })).optional(),
})

const TopLevel = z.looseObject({
  name: z.string().optional(),
  external: z.union([z.boolean(), z.looseObject({})]).optional(),
  labels: Labels,
})

const Rendered = z.looseObject({
  services: z.record(z.string(), Service).default({}),
  secrets: z.record(z.string(), TopLevel.nullable()).default({}),
  configs: z.record(z.string(), TopLevel.nullable()).default({}),
  volumes: z.record(z.string(), TopLevel.nullable()).default({}),
  networks: z.record(z.string(), TopLevel.nullable()).default({}),
})

export type RenderedStack = z.infer<typeof Rendered>

/**
 * Renders a recipe's compose files with Docker's own compose loader (`docker stack config`),
 * interpolated with the app env, exactly as `docker stack deploy` will read them.
 */
export async function renderStack(
  recipeDir: string,
  composeFiles: readonly string[],
  env: Record<string, string>,
): Promise<RenderedStack> {
  const args = ['stack', 'config', ...composeFiles.flatMap((file) => ['-c', file])]
  const result = await runCommand('docker', args, {
    cwd: recipeDir,
    env,
    cleanEnv: true,
    timeoutMs: 60_000,
    hint: "the recipe's compose files do not load; fix the error above (a typo, a bad type, a missing file)",
  })
  const parsed = Rendered.safeParse(parse(result.stdout))
  if (!parsed.success) {
    throw new CcciError(
      'CCCI_RENDER_SHAPE',
      `docker stack config printed an unexpected shape: ${z.prettifyError(parsed.error)}`,
      {
        hint: 'this is a cc-ci bug or an unsupported docker CLI; report it with the recipe',
      },
    )
  }
  return parsed.data
}

/** True when a top-level compose entry is external (created outside the stack). */
export function isExternal(entry: { external?: unknown } | null): boolean {
  return entry?.external !== undefined && entry.external !== false
}
