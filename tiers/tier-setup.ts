import * as vitest from 'vitest'
import { installTierGate } from '../harness/index.ts'
import { TIERS } from './index.ts'

// Every tier file's setup file: the tier's operation once, then its gate (skip or fail with why).
// It runs only in test workers, so it is the one place that hands Vitest's API to the harness.
installTierGate(TIERS, vitest)
