import { packEntries, type TarEntry } from '../archive/tar.ts'
import { CcciError } from '../errors.ts'
import { call, callUnlessMissing, docker } from './docker-client.ts'
import { ImageInspectSchema } from './schemas.ts'

export interface ImageInfo {
  id: string
  tags: string[]
  labels: Record<string, string>
}

export async function inspectImage(name: string): Promise<ImageInfo | undefined> {
  const raw = await callUnlessMissing(`inspect image ${name}`, () =>
    docker().getImage(name).inspect(),
  )
  if (raw === undefined) {
    return undefined
  }
  const image = ImageInspectSchema.parse(raw)
  return { id: image.Id, tags: image.RepoTags ?? [], labels: image.Config?.Labels ?? {} }
}

/**
 * Builds an image from an in-memory context (a Dockerfile and files) without a registry.
 * Build errors carry the builder's output.
 */
export async function buildImage(tag: string, context: readonly TarEntry[]): Promise<void> {
  const stream = await call(`build image ${tag}`, () =>
    docker().buildImage(packEntries(context), { t: tag, rm: true, forcerm: true }),
  )
  const output: string[] = []
  const failure = await new Promise<string | undefined>((resolve) => {
    docker().modem.followProgress(
      stream,
      (error) => resolve(error === null ? undefined : error.message),
      (event: { stream?: string; error?: string }) => {
        if (event.stream !== undefined) {
          output.push(event.stream)
        }
        if (event.error !== undefined) {
          output.push(event.error)
          resolve(event.error)
        }
      },
    )
  })
  if (failure !== undefined || (await inspectImage(tag)) === undefined) {
    throw new CcciError(
      'CCCI_IMAGE_BUILD',
      `building image ${tag} failed: ${failure ?? 'no image'}`,
      {
        evidence: [
          { label: 'build output', text: output.join('').split('\n').slice(-30).join('\n') },
        ],
        hint: 'see the build output above; base images are built from local files only (no registry)',
      },
    )
  }
}

export async function removeImage(name: string): Promise<void> {
  await callUnlessMissing(`remove image ${name}`, () =>
    docker().getImage(name).remove({ force: false }),
  )
}
