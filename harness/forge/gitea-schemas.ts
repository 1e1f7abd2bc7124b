import { z } from 'zod'

/**
 * The parts of Gitea's API objects (swagger: definitions User, Repository, PRBranchInfo,
 * PullRequest, Comment, CommitStatus) the bridge reads. Unknown keys are kept out, missing
 * optional ones tolerated: Gitea versions add fields.
 */
export const GiteaUser = z.object({ id: z.number().int(), login: z.string().min(1) })

export const GiteaRepository = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  full_name: z.string().min(1),
  clone_url: z.string().min(1),
  html_url: z.string().optional(),
  private: z.boolean().optional(),
})

export const GiteaBranchInfo = z.object({
  label: z.string().optional(),
  ref: z.string().min(1),
  sha: z.string().regex(/^[0-9a-f]{7,64}$/, 'a commit SHA'),
  repo_id: z.number().int().optional(),
  // The head repository of a deleted fork is null.
  repo: GiteaRepository.nullish(),
})

export const GiteaPullRequest = z.object({
  id: z.number().int(),
  number: z.number().int().positive(),
  state: z.string(),
  title: z.string().optional(),
  html_url: z.string().optional(),
  user: GiteaUser.nullish(),
  head: GiteaBranchInfo,
  base: GiteaBranchInfo,
})

export const GiteaComment = z.object({
  id: z.number().int().positive(),
  body: z.string(),
  user: GiteaUser.nullish(),
  html_url: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
})

export const GiteaCommitStatus = z.object({
  id: z.number().int(),
  status: z.string().optional(),
  context: z.string().optional(),
  target_url: z.string().optional(),
  description: z.string().optional(),
})

/** Gitea's commit status states (CommitStatusState). */
export const COMMIT_STATES = ['pending', 'success', 'error', 'failure', 'warning'] as const
export type CommitState = (typeof COMMIT_STATES)[number]

export type GiteaPullRequest = z.output<typeof GiteaPullRequest>
export type GiteaComment = z.output<typeof GiteaComment>
