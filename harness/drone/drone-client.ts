import { z } from 'zod'
import { apiPath, createApiClient, type ApiClient } from '../http/index.ts'

/** The part of Drone's build object (core.Build) the bridge reads. */
export const DroneBuild = z.object({
  id: z.number().int(),
  number: z.number().int().positive(),
  status: z.string(),
  event: z.string().optional(),
  params: z.record(z.string(), z.string()).optional(),
})
export type DroneBuild = z.output<typeof DroneBuild>

export interface DroneClientOptions {
  /** The Drone server, e.g. `https://drone.coopcloud.tech`. */
  url: string
  token: string | undefined
  timeoutMs?: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

/** The build parameters of one recipe run (Drone passes them to the steps as environment). */
export interface RunParameters {
  RECIPE: string
  SRC: string
  REF: string
  PR: string
  QUICK: '0' | '1'
  /** The forge repo of the PR (`owner/name`), for `ccci verdict`. */
  FORGE_REPO: string
  /** Who commented `!testme`, for the run history (harness/history/run-trigger.ts). */
  CCCI_TRIGGERED_BY?: string
}

/**
 * Drone's API (`/api`), authenticated with `Authorization: Bearer <token>`: creating a build of
 * the cc-ci repository's pipeline with custom parameters
 * (`POST /api/repos/{namespace}/{name}/builds?branch=...&KEY=value`, event `custom`).
 */
export class DroneClient {
  readonly #api: ApiClient
  readonly url: string

  constructor(options: DroneClientOptions) {
    this.url = options.url.replace(/\/+$/, '')
    this.#api = createApiClient({
      service: 'Drone',
      baseUrl: `${this.url}/api`,
      authorization: options.token === undefined ? undefined : `Bearer ${options.token}`,
      token: options.token,
      hint: `check CCCI_DRONE_URL (${this.url}), CCCI_DRONE_REPO and that the token in CCCI_DRONE_TOKEN has write access to that repository in Drone`,
      timeoutMs: options.timeoutMs,
      now: options.now,
      sleep: options.sleep,
    })
  }

  /** Starts a build of `repo` (`namespace/name`) on `branch` with the run's parameters. */
  createBuild(repo: string, branch: string, params: RunParameters): Promise<DroneBuild> {
    const [namespace = '', name = ''] = repo.split('/')
    return this.#api.json(
      {
        method: 'POST',
        path: apiPath`/repos/${namespace}/${name}/builds`,
        query: { branch, ...params },
        expect: [200],
      },
      DroneBuild,
    )
  }

  /** The build's page in Drone's UI (where its logs are). */
  buildLink(repo: string, number: number): string {
    return `${this.url}/${repo}/${number}`
  }
}
