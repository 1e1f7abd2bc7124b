import { listTarGz, type TarListing } from '../../harness/archive/tar.ts'
import { runCommand } from '../../harness/process/index.ts'

/**
 * The entries of a gzip'd tar file (directory names without their trailing `/`), and the bytes
 * of the files `keep` selects (small files only).
 */
export async function readTarGz(
  path: string,
  keep: (name: string) => boolean = () => false,
): Promise<{ entries: TarListing[]; contents: Map<string, Buffer> }> {
  const entries = await listTarGz(path)
  const contents = new Map<string, Buffer>()
  for (const entry of entries) {
    if (entry.type === 'file' && keep(entry.name)) {
      const result = await runCommand('tar', ['-xzOf', path, '--', entry.name], {
        timeoutMs: 60_000,
        binary: true,
      })
      contents.set(entry.name, result.stdoutBuffer ?? Buffer.from(result.stdout))
    }
  }
  return { entries, contents }
}
