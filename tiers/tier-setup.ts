import { installTierGate } from '../harness/index.ts'
import { TIERS } from './index.ts'

// Every tier file's setup file: the tier's operation once, then its gate (skip or fail with why).
installTierGate(TIERS)
