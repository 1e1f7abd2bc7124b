export * from './run-command.ts'
export * from './spawn-daemon.ts'
