import { join } from 'node:path'
import { z } from 'zod'
import { CcciError } from '../errors.ts'

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''))

const login = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a user name')

/** `ccci bridge`'s settings, from the environment (docs/operating.md). */
export const BridgeEnv = z.object({
  CCCI_GITEA_URL: httpUrl.describe('the forge, e.g. https://git.coopcloud.tech'),
  CCCI_GITEA_TOKEN: z.string().min(1).describe('Gitea token of the bridge account (secret)'),
  CCCI_GITEA_ORG: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .describe('members of this org may trigger runs'),
  CCCI_BRIDGE_ALLOWLIST: z
    .string()
    .default('')
    .describe('comma-separated logins that may trigger runs besides the org members'),
  CCCI_DRONE_URL: httpUrl.describe('the Drone server'),
  CCCI_DRONE_TOKEN: z.string().min(1).describe('Drone token (secret)'),
  CCCI_DRONE_REPO: z
    .string()
    .regex(/^[^/\s]+\/[^/\s]+$/, 'namespace/name')
    .describe("cc-ci's repository in Drone, whose .drone.yml runs a recipe"),
  CCCI_DRONE_BRANCH: z.string().min(1).default('main').describe('the branch of cc-ci Drone builds'),
  CCCI_BRIDGE_POLL_SECONDS: z.coerce
    .number()
    .min(0.2)
    .max(3600)
    .default(60)
    .describe('seconds between two polls of every enrolled repo'),
  CCCI_BRIDGE_LISTEN: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'host:port')
    .default('127.0.0.1:8787')
    .describe('where the health endpoint (and the webhook, when enabled) listen'),
  CCCI_WEBHOOK_SECRET: z
    .string()
    .min(16, 'at least 16 characters')
    .optional()
    .describe('HMAC key of the Gitea webhook (secret); unset: no webhook endpoint'),
  CCCI_BRIDGE_DB: z
    .string()
    .min(1)
    .optional()
    .describe('the store (default <CCCI_HOME>/bridge/bridge.sqlite)'),
  CCCI_STATUS_CONTEXT: z
    .string()
    .min(1)
    .default('cc-ci')
    .describe('commit status context of full runs'),
})

export interface BridgeConfig {
  giteaUrl: string
  giteaToken: string
  org: string
  allowlist: Set<string>
  droneUrl: string
  droneToken: string
  droneRepo: string
  droneBranch: string
  pollMs: number
  host: string
  port: number
  webhookSecret: string | undefined
  dbFile: string
  statusContext: string
}

export function loadBridgeConfig(home: string, env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  const parsed = BridgeEnv.safeParse(env)
  if (!parsed.success) {
    // Only names and messages: zod's issue messages never quote the (secret) values.
    throw new CcciError(
      'CCCI_BRIDGE_CONFIG',
      `ccci bridge: invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
      {
        hint: 'set the variables named above (docs/operating.md lists them and the tokens needed)',
      },
    )
  }
  const e = parsed.data
  const [host = '127.0.0.1', port = '8787'] = e.CCCI_BRIDGE_LISTEN.split(/:(?=\d+$)/)
  const allow = e.CCCI_BRIDGE_ALLOWLIST.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const name of allow) {
    if (!login.safeParse(name).success) {
      throw new CcciError(
        'CCCI_BRIDGE_CONFIG',
        `CCCI_BRIDGE_ALLOWLIST: not a user name: ${JSON.stringify(name)}`,
        {
          hint: 'list Gitea logins separated by commas',
        },
      )
    }
  }
  return {
    giteaUrl: e.CCCI_GITEA_URL,
    giteaToken: e.CCCI_GITEA_TOKEN,
    org: e.CCCI_GITEA_ORG,
    allowlist: new Set(allow.map((a) => a.toLowerCase())),
    droneUrl: e.CCCI_DRONE_URL,
    droneToken: e.CCCI_DRONE_TOKEN,
    droneRepo: e.CCCI_DRONE_REPO,
    droneBranch: e.CCCI_DRONE_BRANCH,
    pollMs: Math.round(e.CCCI_BRIDGE_POLL_SECONDS * 1000),
    host,
    port: Number(port),
    webhookSecret: e.CCCI_WEBHOOK_SECRET,
    dbFile: e.CCCI_BRIDGE_DB ?? join(home, 'bridge', 'bridge.sqlite'),
    statusContext: e.CCCI_STATUS_CONTEXT,
  }
}
