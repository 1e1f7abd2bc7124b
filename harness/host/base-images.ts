import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import type { TarEntry } from '../archive/tar.ts'
import { BUSYBOX_IMAGE, buildImage, inspectImage } from '../docker/index.ts'
import { CcciError } from '../errors.ts'
import { runCommand, tryCommand } from '../process/index.ts'

/** Images cc-ci builds from local files: there is no registry (BUSYBOX_IMAGE: harness/docker). */
export const CADDY_IMAGE = 'ccci-local/caddy:2'

const INPUTS_LABEL = 'cc-ci.inputs'

/** The shared libraries of a binary copied into an image's root at the same paths. */
export function libraryEntries(libraries: readonly string[]): TarEntry[] {
  return libraries.map((lib) => ({
    type: 'file',
    name: lib.slice(1),
    content: readFileSync(lib),
    mode: 0o755,
  }))
}

/** The shared libraries a dynamic binary loads (empty for a static one). */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const result = await tryCommand('ldd', [binary], { timeoutMs: 10_000 })
  if (result.exitCode !== 0) {
    return []
  }
  return result.stdout
    .split('\n')
    .map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined)
}

function requireFile(path: string, pkg: string): Buffer {
  if (!existsSync(path)) {
    throw new CcciError('CCCI_HOST_MISSING_FILE', `${path} is missing`, {
      hint: `install Debian's ${pkg} package (\`apt-get install -y ${pkg}\`) or run \`./ccci host up\` as root`,
    })
  }
  return readFileSync(path)
}

const dirs = (...names: string[]): TarEntry[] =>
  names.map((name) => ({ type: 'directory', name, mode: name === 'tmp' ? 0o1777 : 0o755 }))

async function busyboxContext(): Promise<TarEntry[]> {
  const binary = requireFile('/bin/busybox', 'busybox-static')
  if ((await sharedLibraries('/bin/busybox')).length > 0) {
    throw new CcciError('CCCI_HOST_BUSYBOX_DYNAMIC', '/bin/busybox is not statically linked', {
      hint: 'install the static build: `apt-get install -y busybox-static`',
    })
  }
  const applets = (await runCommand('/bin/busybox', ['--list'], { timeoutMs: 10_000 })).stdout
    .split('\n')
    .filter((name) => /^[\w.[-]+$/.test(name) && name !== 'busybox')
  const rootfs: TarEntry[] = [
    ...dirs('bin', 'etc', 'tmp', 'root', 'var', 'var/www', 'data'),
    { type: 'file', name: 'bin/busybox', content: binary, mode: 0o755 },
    ...applets.map((name): TarEntry => ({
      type: 'symlink',
      name: `bin/${name}`,
      target: 'busybox',
    })),
    {
      type: 'file',
      name: 'etc/passwd',
      content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n',
    },
    { type: 'file', name: 'etc/group', content: 'root:x:0:\nnogroup:x:65534:\n' },
  ]
  return withDockerfile(rootfs, ['ENV PATH=/bin', 'CMD ["/bin/sh"]'])
}

async function caddyContext(): Promise<TarEntry[]> {
  const binary = requireFile('/usr/bin/caddy', 'caddy')
  const libraries = await sharedLibraries('/usr/bin/caddy')
  const rootfs: TarEntry[] = [
    ...dirs(
      'bin',
      'etc',
      'etc/caddy',
      'tmp',
      'data',
      'config',
      'lib',
      'lib64',
      'lib/x86_64-linux-gnu',
      'lib/aarch64-linux-gnu',
    ),
    { type: 'file', name: 'bin/caddy', content: binary, mode: 0o755 },
    ...libraryEntries(libraries),
    {
      type: 'file',
      name: 'etc/caddy/config.json',
      content: '{"admin":{"listen":"localhost:2019"}}\n',
    },
  ]
  return withDockerfile(rootfs, [
    'ENV XDG_DATA_HOME=/data XDG_CONFIG_HOME=/config HOME=/tmp',
    'CMD ["/bin/caddy", "run", "--config", "/etc/caddy/config.json"]',
  ])
}

/** A build context: the root filesystem under rootfs/ and a `FROM scratch` Dockerfile. */
function withDockerfile(rootfs: readonly TarEntry[], instructions: string[]): TarEntry[] {
  const dockerfile = ['FROM scratch', 'COPY rootfs/ /', ...instructions, ''].join('\n')
  return [
    ...rootfs.map((entry) => ({ ...entry, name: `rootfs/${entry.name}` })),
    { type: 'file', name: 'Dockerfile', content: dockerfile },
  ]
}

function inputsHash(context: readonly TarEntry[]): string {
  const hash = createHash('sha256')
  for (const entry of context) {
    hash.update(`${entry.type}:${entry.name}:`)
    if (entry.type === 'file') {
      hash.update(entry.content)
    } else if (entry.type === 'symlink') {
      hash.update(entry.target)
    }
  }
  return hash.digest('hex').slice(0, 16)
}

/** Builds `tag` from `context` unless an image with the same inputs (its label) is there. */
export async function ensureImage(tag: string, context: TarEntry[]): Promise<'built' | 'present'> {
  const hash = inputsHash(context)
  const existing = await inspectImage(tag)
  if (existing?.labels[INPUTS_LABEL] === hash) {
    return 'present'
  }
  const withLabel = context.map((entry) =>
    entry.name === 'Dockerfile' && entry.type === 'file'
      ? { ...entry, content: `${String(entry.content)}LABEL ${INPUTS_LABEL}=${hash}\n` }
      : entry,
  )
  await buildImage(tag, withLabel)
  return 'built'
}

/** Builds the base images that are missing or whose inputs changed. */
export async function ensureBaseImages(): Promise<Record<string, 'built' | 'present'>> {
  return {
    [BUSYBOX_IMAGE]: await ensureImage(BUSYBOX_IMAGE, await busyboxContext()),
    [CADDY_IMAGE]: await ensureImage(CADDY_IMAGE, await caddyContext()),
  }
}
