import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { z } from 'zod'
import type { TarEntry } from '../archive/tar.ts'
import { CCCI_ROOT } from '../config/settings.ts'
import { inspectImage } from '../docker/index.ts'
import { CcciError } from '../errors.ts'
import { ensureImage, libraryEntries, sharedLibraries } from './base-images.ts'

/**
 * `ccci-local/node`: the Node binary cc-ci itself runs on (the npm registry's `node-linux-<arch>`
 * that `./ccci` installs into .tools/, or a system Node in range) with its shared libraries,
 * `FROM scratch`. Images of Node services (the SSO stand-in, fixture apps) are built on it, so
 * the binary is stored once.
 */
export const NODE_IMAGE = `ccci-local/node:${process.versions.node.split('.')[0] ?? ''}`

const dirs = (...names: string[]): TarEntry[] =>
  names.map((name) => ({ type: 'directory', name, mode: name === 'tmp' ? 0o1777 : 0o755 }))

async function nodeContext(): Promise<TarEntry[]> {
  const binary = realpathSync(process.execPath)
  const libraries = await sharedLibraries(binary)
  const rootfs: TarEntry[] = [
    ...dirs(
      'bin',
      'etc',
      'tmp',
      'app',
      'data',
      'lib',
      'lib64',
      'lib/x86_64-linux-gnu',
      'lib/aarch64-linux-gnu',
    ),
    { type: 'file', name: 'bin/node', content: readFileSync(binary), mode: 0o755 },
    ...libraryEntries(libraries),
    {
      type: 'file',
      name: 'etc/passwd',
      content: 'root:x:0:0:root:/root:/bin/false\nnode:x:1000:1000:node:/app:/bin/false\n',
    },
    { type: 'file', name: 'etc/group', content: 'root:x:0:\nnode:x:1000:\n' },
  ]
  const dockerfile = [
    'FROM scratch',
    'COPY rootfs/ /',
    'ENV PATH=/bin NODE_ENV=production',
    'WORKDIR /app',
    'USER 1000:1000',
    '',
  ].join('\n')
  return [
    ...rootfs.map((entry) => ({ ...entry, name: `rootfs/${entry.name}` })),
    { type: 'file', name: 'Dockerfile', content: dockerfile },
  ]
}

/** Builds `ccci-local/node` unless it is there with the same inputs. */
export async function ensureNodeImage(): Promise<'built' | 'present'> {
  return ensureImage(NODE_IMAGE, await nodeContext())
}

const PackageJson = z.looseObject({
  dependencies: z.record(z.string(), z.string()).optional(),
  optionalDependencies: z.record(z.string(), z.string()).optional(),
})

/** Where Node would find package `name` from `from`: the nearest node_modules up to the root. */
function resolvePackage(name: string, from: string, root: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) {
      return candidate
    }
    if (dir === root || dirname(dir) === dir) {
      return undefined
    }
  }
}

/** Files a running package needs: everything but docs, maps, type declarations, nested modules. */
function packageFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' ? [] : packageFiles(dir, rel)
    }
    return /\.(md|map|d\.ts|d\.mts|d\.cts|ts\.map)$/i.test(entry.name) ? [] : [rel]
  })
}

/**
 * The npm packages `names` and everything they depend on, as installed in cc-ci's own
 * node_modules (package-lock.json pins them), laid out under `app/` as Node resolves them.
 */
export function packageClosure(names: readonly string[], root = CCCI_ROOT): TarEntry[] {
  const seen = new Set<string>()
  const entries: TarEntry[] = []
  const visit = (name: string, from: string, optional: boolean): void => {
    const dir = resolvePackage(name, from, root)
    if (dir === undefined) {
      if (optional) {
        return
      }
      throw new CcciError('CCCI_IMAGE_PACKAGE', `npm package ${name} is not installed`, {
        hint: 'run `npm ci` (./ccci does when dependencies are missing)',
      })
    }
    if (seen.has(dir)) {
      return
    }
    seen.add(dir)
    const rel = relative(root, dir)
    for (const file of packageFiles(dir)) {
      entries.push({
        type: 'file',
        name: `app/${rel}/${file}`,
        content: readFileSync(join(dir, file)),
      })
    }
    const pkg = PackageJson.parse(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')))
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      visit(dep, dir, false)
    }
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      visit(dep, dir, true)
    }
  }
  for (const name of names) {
    visit(name, root, false)
  }
  return entries
}

/**
 * An image of a Node program on {@link NODE_IMAGE}: `files` (relative to /app) and the npm
 * `packages` with their dependencies, `node <main>` as its command. Rebuilt when any input or the
 * base image changed.
 */
export async function ensureNodeAppImage(
  tag: string,
  app: { files: readonly TarEntry[]; packages: readonly string[]; main: string },
): Promise<'built' | 'present'> {
  await ensureNodeImage()
  const base = await inspectImage(NODE_IMAGE)
  const dockerfile = [
    `FROM ${NODE_IMAGE}`,
    `# base ${base?.id ?? ''}`,
    'COPY app/ /app/',
    `CMD ["/bin/node", "/app/${app.main}"]`,
    '',
  ].join('\n')
  return ensureImage(tag, [
    ...packageClosure(app.packages),
    ...app.files.map((entry) => ({ ...entry, name: `app/${entry.name}` })),
    { type: 'file', name: 'Dockerfile', content: dockerfile },
  ])
}
