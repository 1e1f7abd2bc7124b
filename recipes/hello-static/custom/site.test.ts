import { expect, test } from 'vitest'
import { useApp } from '../../../harness/index.ts'

test('install-steps.sh set the site title', async () => {
  expect((await useApp().http('/')).body).toContain('<h1>Hello from cc-ci</h1>')
})

test('the www sibling from extraEnv is routed to the same site', async () => {
  const { http, run } = useApp()
  const www = new URL(run.url)
  www.hostname = `www-${www.hostname}`
  const page = await http(www.toString())
  expect(page.status).toBe(200)
  expect(page.body).toContain('Hello from cc-ci')
})

test('the guestbook entry signed before the backup survived the restore', async () => {
  const { http, get } = useApp()
  const entry = get<string>('guestbook')
  expect(entry, 'ops.ts preBackup ran').toBeDefined()
  expect((await http('/guestbook.txt')).body).toContain(entry)
})
