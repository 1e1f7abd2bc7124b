export * from './run-command.ts'
export * from './spawn-daemon.ts'
export * from './run-attached.ts'
export * from './start-command.ts'
