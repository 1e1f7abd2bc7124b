import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { z } from 'zod'
import { tryCommand } from '../../../harness/process/index.ts'

/**
 * Runs a `.drone.yml` exec pipeline the way Drone's exec runner does, for the Drone test server:
 * each step's commands as one `set -e` shell script in the workspace, in order; the build
 * parameters, `DRONE_*` variables and the step's `environment` (`from_secret` resolved from
 * `secrets`) as environment; a step runs after a failure only when its `when.status` lists
 * `failure`. The build fails when a step does.
 */
const Value = z.union([z.string(), z.number(), z.boolean(), z.object({ from_secret: z.string() })])
const Pipeline = z.object({
  kind: z.literal('pipeline'),
  type: z.literal('exec'),
  name: z.string(),
  trigger: z.object({ event: z.array(z.string()) }).optional(),
  steps: z
    .array(
      z.object({
        name: z.string(),
        commands: z.array(z.string()).min(1),
        environment: z.record(z.string(), Value).optional(),
        when: z.object({ status: z.array(z.enum(['success', 'failure'])) }).optional(),
      }),
    )
    .min(1),
})
export type Pipeline = z.output<typeof Pipeline>

export function readPipeline(file: string): Pipeline {
  return Pipeline.parse(parse(readFileSync(file, 'utf8')))
}

export interface StepRun {
  step: string
  exitCode: number
  output: string
}

export async function runPipeline(
  pipeline: Pipeline,
  options: {
    workspace: string
    params: Record<string, string>
    drone: Record<string, string>
    secrets: Record<string, string>
    /** The host's environment the runner passes on (PATH, HOME, CCCI_HOME...). */
    hostEnv: Record<string, string | undefined>
    timeoutMs: number
  },
): Promise<StepRun[]> {
  const runs: StepRun[] = []
  let failed = false
  for (const step of pipeline.steps) {
    const statuses = step.when?.status ?? ['success']
    if (!statuses.includes(failed ? 'failure' : 'success')) {
      continue
    }
    const stepEnv: Record<string, string> = {}
    for (const [key, value] of Object.entries(step.environment ?? {})) {
      if (typeof value === 'object') {
        const secret = options.secrets[value.from_secret]
        if (secret === undefined) {
          throw new Error(`step ${step.name}: no secret ${value.from_secret}`)
        }
        stepEnv[key] = secret
      } else {
        stepEnv[key] = String(value)
      }
    }
    const script = [
      'set -e',
      ...step.commands.flatMap((c) => [`echo + ${JSON.stringify(c)}`, c]),
    ].join('\n')
    const result = await tryCommand('bash', ['-c', script], {
      cwd: options.workspace,
      cleanEnv: true,
      env: {
        ...options.hostEnv,
        ...options.params,
        ...options.drone,
        ...stepEnv,
        CI: 'true',
        DRONE: 'true',
      },
      timeoutMs: options.timeoutMs,
    })
    runs.push({
      step: step.name,
      exitCode: result.exitCode,
      output: `${result.stdout}${result.stderr}`,
    })
    failed ||= result.exitCode !== 0
  }
  return runs
}
