/**
 * A named step of a warm operation at which a test can kill cc-ci: with `CCCI_FAULT=<step>` in
 * the environment the process SIGKILLs itself there, as a crash or `kill -9` would. The fault
 * tests prove that no step leaves a missing, partial or unreadable known-good (docs/warm.md).
 */
export function faultPoint(step: string): void {
  if (process.env.CCCI_FAULT === step) {
    process.kill(process.pid, 'SIGKILL')
  }
}
