import { backup } from './backup.ts'
import { custom } from './custom.ts'
import { install } from './install.ts'
import { restore } from './restore.ts'
import { upgrade } from './upgrade.ts'

/** The lifecycle, in the order its tiers run against the one deployment. */
export const TIERS = [install, upgrade, backup, restore, custom]
