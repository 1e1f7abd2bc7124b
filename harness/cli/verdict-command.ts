import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { readRunOutput, type RunOutput } from '../bridge/run-output.ts'
import { decideVerdict } from '../bridge/verdict.ts'
import { CcciError, describeError } from '../errors.ts'
import { GiteaClient } from '../forge/gitea-client.ts'
import { redact, registerSecret } from '../redaction/redact.ts'
import { readResultsPointer } from '../results/results-pointer.ts'
import { callerCwd } from '../run/source-location.ts'
import type { Command } from './command.ts'

/** What `ccci verdict` reads from the Drone step's environment (the build parameters and secrets). */
const VerdictEnv = z.object({
  CCCI_GITEA_URL: z.string().url(),
  CCCI_GITEA_TOKEN: z.string().min(1),
  FORGE_REPO: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'owner/name'),
  PR: z.string().regex(/^\d{1,9}$/, 'a pull request number'),
  REF: z.string().regex(/^[0-9a-f]{7,64}$/, 'the commit SHA the bridge passed'),
  QUICK: z.enum(['', '0', '1', 'true', 'false']).default('0'),
  DRONE_BUILD_LINK: z.string().url().optional(),
  CCCI_STATUS_CONTEXT: z.string().min(1).default('cc-ci'),
  CCCI_RESULTS_POINTER: z.string().min(1).optional(),
})

export const verdictCommand: Command = {
  summary:
    "post a run's result on its pull request: summary.md as a comment and the commit status (the Drone step's last command)",
  usage: 'verdict [--results DIR] [--exit-code N]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { results: { type: 'string' }, 'exit-code': { type: 'string' } },
    })
    const parsed = VerdictEnv.safeParse(process.env)
    if (!parsed.success) {
      throw new CcciError(
        'CCCI_VERDICT_INPUT',
        `ccci verdict: invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
        {
          hint: 'the Drone build needs the parameters the bridge sets (FORGE_REPO, PR, REF, QUICK) and the gitea_token secret (.drone.yml)',
        },
      )
    }
    const env = parsed.data
    registerSecret(env.CCCI_GITEA_TOKEN)
    const exitText = values['exit-code']
    if (exitText !== undefined && !/^\d{1,3}$/.test(exitText)) {
      throw new CcciError('CCCI_USAGE', `--exit-code takes a number, got ${exitText}`)
    }
    const dir =
      values.results ??
      (env.CCCI_RESULTS_POINTER === undefined
        ? undefined
        : readResultsPointer(resolve(callerCwd(), env.CCCI_RESULTS_POINTER)))
    let output: RunOutput | undefined
    let missing: string | undefined
    if (dir === undefined) {
      missing = 'The run stopped before it wrote its results (it did not deploy, or it was killed).'
    } else {
      try {
        output = readRunOutput(dir)
      } catch (error) {
        missing = `The run's results could not be read: ${describeError(error).split('\n')[0]}`
      }
    }
    const quick = env.QUICK === '1' || env.QUICK === 'true'
    const verdict = decideVerdict({
      output,
      missing,
      quick,
      exitCode: exitText === undefined ? undefined : Number(exitText),
      logLink: env.DRONE_BUILD_LINK,
      statusContext: env.CCCI_STATUS_CONTEXT,
    })
    const [owner = '', name = ''] = env.FORGE_REPO.split('/')
    const repo = { owner, name }
    const gitea = new GiteaClient({ url: env.CCCI_GITEA_URL, token: env.CCCI_GITEA_TOKEN })
    process.stdout.write(
      `${redact(verdict.comment)}\n\nresults: ${output === undefined ? 'none' : `${output.dir} (result.json, summary.md, junit.xml)`}\n`,
    )
    await gitea.createComment(repo, Number(env.PR), redact(verdict.comment))
    await gitea.setStatus(repo, env.REF, {
      state: verdict.state,
      context: verdict.context,
      description: redact(verdict.description),
      targetUrl: env.DRONE_BUILD_LINK,
    })
    process.stdout.write(
      `verdict posted on ${env.FORGE_REPO}#${env.PR}: ${verdict.context} ${verdict.state}\n`,
    )
    return 0
  },
}
