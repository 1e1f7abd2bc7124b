import { createRequire } from 'node:module'
import type Dockerode from 'dockerode'
import { CcciError } from '../errors.ts'
import { deferRequire } from './deferred-modules.ts'

let client: Dockerode | undefined

/**
 * The one Docker Engine client of this process (DOCKER_HOST or the local socket). dockerode is
 * loaded on first use: a tier worker or a command that never talks to Docker does not pay for it.
 * It requires gRPC (BuildKit sessions, which cc-ci never opens) and ssh2 (an `ssh://` DOCKER_HOST)
 * as it loads, 0.14 of its 0.2 s: those load when first used.
 */
export function docker(): Dockerode {
  if (client === undefined) {
    const load = createRequire(import.meta.url)
    const dockerode = load.resolve('dockerode')
    deferRequire(dockerode, '@grpc/grpc-js', 'object')
    deferRequire(dockerode, '@grpc/proto-loader', 'object')
    deferRequire(createRequire(dockerode).resolve('docker-modem'), './ssh.js', 'function')
    client = new (load(dockerode) as typeof Dockerode)()
  }
  return client
}

interface DockerApiError {
  statusCode?: number
  json?: { message?: string } | null
  reason?: string
  message?: string
}

function apiError(error: unknown): DockerApiError {
  return typeof error === 'object' && error !== null ? error : {}
}

/** The HTTP status of a failed Engine API call, if it was one. */
function statusOf(error: unknown): number | undefined {
  return apiError(error).statusCode
}

/** The Engine's own words for a failed call. */
export function engineMessage(error: unknown): string {
  const e = apiError(error)
  return e.json?.message ?? e.reason ?? e.message ?? String(error)
}

/** Wraps an Engine API failure in a typed error that says what cc-ci was doing. */
function dockerError(doing: string, error: unknown, hint?: string): CcciError {
  const message = engineMessage(error)
  const unreachable = /ECONNREFUSED|ENOENT|EACCES/.test(message)
  return new CcciError(
    unreachable ? 'CCCI_DOCKER_UNREACHABLE' : 'CCCI_DOCKER_API',
    `Docker: ${doing} failed: ${message}`,
    {
      hint: unreachable
        ? 'the Docker engine is not reachable; start it or run `./ccci host up`'
        : hint,
      cause: error,
    },
  )
}

/** Runs an Engine API call, turning its failure into a `dockerError`. */
export async function call<T>(doing: string, fn: () => Promise<T>, hint?: string): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw dockerError(doing, error, hint)
  }
}

/** Like `call`, but a 404 (the object is already gone) yields `undefined`. */
export async function callUnlessMissing<T>(
  doing: string,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await fn()
  } catch (error) {
    if (statusOf(error) === 404) {
      return undefined
    }
    throw dockerError(doing, error)
  }
}
