import { HistoryEnv } from '../history/run-trigger.ts'
import { TriggerEnv } from '../run/trigger.ts'
import { settingsDocumentation } from './settings.ts'

const OTHER = [
  {
    name: 'CCCI_RECIPE',
    description:
      'a recipe without a folder under recipes/ to run with the generic suites (set by `ccci run`)',
  },
  {
    name: 'CCCI_SKIP_GENERIC',
    description:
      '1/all, or a comma list of tiers: skip generic suites (local debugging; warned loudly in CI)',
  },
  {
    name: 'CCCI_SKIP_GENERIC_<TIER>',
    description: '1: skip the generic suites of one tier, e.g. CCCI_SKIP_GENERIC_UPGRADE=1',
  },
  { name: 'CCCI_DEBUG', description: '1: print debug lines' },
  {
    name: 'CCCI_NODE',
    description:
      'the Node binary `./ccci` uses (otherwise the system Node when package.json `engines.node` accepts it, else Node 24 in .tools/)',
  },
  {
    name: 'CCCI_CALLER_CWD',
    description:
      'the directory `./ccci` was run from (set by `./ccci`); a relative `--src`/SRC path is resolved against it',
  },
  { name: 'CCCI_QUIET', description: '1: `./ccci` prints nothing about its own setup' },
  { name: 'CI', description: 'set by CI systems; makes environment opt-outs warn loudly' },
]

/** docs/configuration.md, generated from the schemas that read the environment (checked for drift by a test). */
export function configurationDoc(): string {
  const env = { ...TriggerEnv.shape, ...HistoryEnv.shape }
  const trigger = Object.entries(env).map(([name, schema]) => ({
    name,
    description: schema.description ?? '',
  }))
  const row = (v: { name: string; description: string }) => `| \`${v.name}\` | ${v.description} |`
  return [
    '# Configuration',
    '',
    '<!-- Generated from harness/config/settings.ts and harness/run/trigger.ts by',
    '     harness/config/configuration-doc.ts; `npx vitest run -c test/vitest.config.ts -u` updates it. -->',
    '',
    'cc-ci reads its settings from the environment, validated when first needed; an invalid value',
    'stops the command with the variable named.',
    '',
    '## Host and driver',
    '',
    '| variable | meaning |',
    '| --- | --- |',
    ...settingsDocumentation().map(row),
    '',
    '## What a run tests',
    '',
    'Set by `ccci run` flags, or by Drone for a `!testme` comment.',
    '',
    '| variable | meaning |',
    '| --- | --- |',
    ...trigger.map(row),
    '',
    '## Other',
    '',
    '| variable | meaning |',
    '| --- | --- |',
    ...OTHER.map(row),
    '',
  ].join('\n')
}
