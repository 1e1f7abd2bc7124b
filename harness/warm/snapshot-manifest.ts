import { z } from 'zod'

/** One volume in a snapshot: its archive and what it must hold. */
export const SnapshotVolumeSchema = z.strictObject({
  /** The compose key (the Docker volume name without `<stack>_`). */
  key: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/),
  /** `<key>.tar.gz` in the snapshot folder. */
  file: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*\.tar\.gz$/),
  /** sha256 of the archive file. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  /** sha256 of the volume's listing (paths, modes, owners, file checksums, link targets). */
  content: z.string().regex(/^[0-9a-f]{64}$/),
})

/** `manifest.json` of a snapshot: what it is and how to check it. */
export const SnapshotManifestSchema = z.strictObject({
  version: z.literal(1),
  recipe: z.string().min(1),
  /** The published recipe version the data belongs to. */
  recipeVersion: z.string().min(1),
  commit: z.string().min(1),
  createdAt: z.string().min(1),
  volumes: z.array(SnapshotVolumeSchema),
  /** Names of the secrets whose values `secrets.json` keeps (the data needs them). */
  secrets: z.array(z.string()),
})

export type SnapshotVolume = z.infer<typeof SnapshotVolumeSchema>
export type SnapshotManifest = z.infer<typeof SnapshotManifestSchema>

/** `secrets.json`: the canonical's secret values by compose key (mode 0600, never logged). */
export const SecretValuesSchema = z.record(z.string(), z.string())
