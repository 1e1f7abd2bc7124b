export * from './git.ts'
