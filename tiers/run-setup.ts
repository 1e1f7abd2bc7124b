import { createGlobalSetup } from '../harness/index.ts'
import { TIERS } from './index.ts'

/** The root global setup of a recipe run (vitest.config.ts): deploy once, then tear down. */
export const { setup, teardown } = createGlobalSetup(TIERS)
