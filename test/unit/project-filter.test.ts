import { describe, expect, test } from 'vitest'
import { projectFilters, runsWhole, selectedRecipes } from '../../harness/vitest/project-filter.ts'

const recipes = ['custom-html', 'keycloak', 'custom-html-extra']
const tiers = ['install', 'upgrade', 'backup', 'restore', 'custom']

describe('which recipes a command line selects', () => {
  test('reads --project in both spellings', () => {
    expect(projectFilters(['run', '--project', 'a', '--project=b (install)', '-u'])).toEqual([
      'a',
      'b (install)',
    ])
  })

  test.each([
    [[], recipes],
    [['custom-html'], ['custom-html']],
    [['CUSTOM-HTML'], ['custom-html']],
    [['custom-html (install)'], ['custom-html']],
    [['custom-*'], ['custom-html', 'custom-html-extra']],
    [['*(upgrade)'], recipes],
    [['keycloak', '!keycloak (custom)'], ['keycloak']],
    [['keycloak', '!keycloak'], []],
    [['nothing'], []],
  ])('%j selects %j', (filters, expected) => {
    expect(selectedRecipes(filters, recipes, tiers)).toEqual(expected)
  })
})

describe('whether a recipe runs as one project (one worker for every tier)', () => {
  test.each([
    [[], true],
    [['custom-html'], true],
    [['CUSTOM-*'], true],
    [['*'], true],
    [['keycloak'], true],
    [['custom-html', 'keycloak'], true],
    [['custom-html (install)'], false],
    [['custom-html (install)', 'custom-html (upgrade)'], false],
    [['*(upgrade)'], false],
    [['custom-html', '!custom-html (custom)'], false],
    [['custom-html', '!keycloak'], true],
    [['custom-html', '!keycloak (custom)'], true],
  ])('%j: %j', (filters, whole) => {
    expect(runsWhole(filters, 'custom-html', tiers)).toBe(whole)
  })
})
