import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { SummaryReporter } from '../harness/vitest/summary-reporter.ts'
import { ReliabilityReporter } from './support/reliability-reporter.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * This repository's own tests. `unit` needs no Docker; `integration`, `e2e` and `reliability` (the
 * fault and bad-input suite, docs/reliability.md) use the real local swarm, which their global
 * setup brings up (`ccci host up`) when they are selected.
 */
export default defineConfig({
  root,
  test: {
    // The reliability table and totals come before the closing `N passed, N failed` line.
    reporters: ['default', new ReliabilityReporter(), new SummaryReporter()],
    projects: [
      {
        test: {
          name: 'unit',
          root,
          include: ['test/unit/**/*.test.ts'],
          sequence: { groupOrder: 1 },
        },
      },
      {
        // The NixOS module in nix/, evaluated by nix-instantiate (Debian's nix-bin, installed by
        // `ccci host up`) with the vendored Nix library; no Docker.
        test: {
          name: 'nix',
          root,
          include: ['test/nix/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          root,
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/host-setup.ts'],
          sequence: { groupOrder: 2 },
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          root,
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/host-setup.ts'],
          sequence: { groupOrder: 3 },
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'reliability',
          root,
          include: ['test/reliability/**/*.test.ts'],
          globalSetup: ['test/support/host-setup.ts'],
          sequence: { groupOrder: 4 },
          // Each case compares the whole host before and after: one case at a time.
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
})
