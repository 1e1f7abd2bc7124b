/** The texts the bridge posts on a PR. Pure; the caller redacts. */

export interface AckInput {
  recipe: string
  author: string
  sha: string
  quick: boolean
  buildNumber: number
  buildLink: string
  statusContext: string
}

export function statusContextFor(base: string, quick: boolean): string {
  return quick ? `${base}/quick` : base
}

export const QUICK_NOTE =
  '⚠️ **quick run**: against the warm canonical deployment, lower confidence than a full run. It reports on its own status context and never sets the full-run status a branch protection can require; comment `!testme` for a full verdict.'

export function ackComment(input: AckInput): string {
  const kind = input.quick ? 'quick run' : 'run'
  return [
    `cc-ci: ${kind} of **${input.recipe}** at \`${input.sha.slice(0, 12)}\` started for @${input.author}: [Drone build #${input.buildNumber}](${input.buildLink})`,
    ...(input.quick ? ['', QUICK_NOTE] : []),
    '',
    `The result will be posted here and as the \`${statusContextFor(input.statusContext, input.quick)}\` commit status.`,
  ].join('\n')
}

export function triggerFailedComment(recipe: string, why: string): string {
  return `cc-ci: could not start a run of **${recipe}**: ${why}\n\nAn operator can see the details in the bridge's log.`
}
