import { join } from 'node:path'
import { tryCommand } from '../../../harness/process/index.ts'

export const ROOT = join(import.meta.dirname, '..', '..', '..')
const EVAL = join(ROOT, 'nix', 'test', 'eval.nix')

/** What `./ccci host up` installs for these tests: Debian's nix-bin. */
export async function requireNixInstantiate(): Promise<void> {
  const found = await tryCommand('sh', ['-c', 'command -v nix-instantiate'], { timeoutMs: 5_000 })
  if (found.exitCode !== 0) {
    throw new Error(
      'nix-instantiate is missing: run `./ccci host up` (as root it installs the Debian package nix-bin, which the nix/ checks need)',
    )
  }
}

export async function nixInstantiate(args: readonly string[]) {
  return tryCommand('nix-instantiate', args, { timeoutMs: 120_000, cwd: ROOT })
}

/** A unit as the NixOS stand-in (nix/test/nixos-stubs.nix) returns it. */
export interface Unit {
  description: string
  wantedBy: string[]
  after: string[]
  requires: string[]
  wants: string[]
  environment: Record<string, string | null>
  path: string[]
  serviceConfig: Record<string, unknown>
  script: string
}

export interface Timer {
  wantedBy: string[]
  timerConfig: Record<string, unknown>
}

export interface VirtualHost {
  onlySSL: boolean
  listen: { addr: string; port: number | null; ssl: boolean }[]
  sslCertificate: string
  sslCertificateKey: string
  locations: Record<string, { proxyPass: string | null; proxyWebsockets: boolean }>
}

export interface HostConfig {
  systemd: {
    services: Record<string, Unit>
    timers: Record<string, Timer>
    tmpfiles: { rules: string[] }
  }
  users: { users: Record<string, { extraGroups: string[]; isSystemUser: boolean }> }
  networking: { firewall: { allowedTCPPorts: number[] } }
  services: { nginx: { enable: boolean; virtualHosts: Record<string, VirtualHost> } }
  virtualisation: {
    docker: {
      enable: boolean
      autoPrune: { enable: boolean }
      daemon: { settings: Record<string, unknown> }
    }
  }
  helperScripts: Record<string, string>
}

export type Evaluation =
  { ok: true; config: HostConfig; json: string } | { ok: false; error: string }

/**
 * Evaluates nix/hosts/example.nix (or `host`) with the cc-ci module, plus `modules` (Nix module
 * expressions, e.g. `({ lib, ... }: { services.cc-ci.sweep.enable = lib.mkForce false; })`),
 * through nix/test/eval.nix: the Nix library and the NixOS stand-in, no NixOS.
 */
export async function evalHost(
  modules: readonly string[] = [],
  host?: string,
): Promise<Evaluation> {
  const args = [`extraModules = [ ${modules.map((m) => `(${m})`).join(' ')} ];`]
  if (host !== undefined) {
    args.push(`host = ${host};`)
  }
  const expr = `import ${EVAL} { ${args.join(' ')} }`
  const result = await nixInstantiate(['--eval', '--strict', '--json', '-E', expr])
  if (result.exitCode !== 0) {
    return { ok: false, error: result.stderr }
  }
  return { ok: true, config: JSON.parse(result.stdout) as HostConfig, json: result.stdout }
}

export async function evalOk(modules: readonly string[] = []): Promise<HostConfig> {
  const result = await evalHost(modules)
  if (!result.ok) {
    throw new Error(`the evaluation failed:\n${result.error}`)
  }
  return result.config
}

/** `services.cc-ci.<path> = lib.mkForce <value>;` as a module. */
export function force(path: string, value: string): string {
  return `{ lib, ... }: { services.cc-ci.${path} = lib.mkForce ${value}; }`
}
