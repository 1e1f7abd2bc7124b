export * from './http-client.ts'
export * from './api-client.ts'
export * from './rate-limit.ts'
