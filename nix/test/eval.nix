# Evaluates a host configuration that uses the cc-ci module with the Nix library alone (no NixOS):
#
#   nix-instantiate --eval --strict --json nix/test/eval.nix [--arg extraModules '[ ... ]']
#
# prints the parts of the configuration the module sets, as JSON. Like NixOS, failed assertions
# stop the evaluation with their messages ("Failed assertions: - ..."). nixos-stubs.nix and
# stub-pkgs.nix stand in for NixOS and nixpkgs; the real check is `nixos-rebuild build` on NixOS.
{ host ? ../hosts/example.nix, extraModules ? [ ] }:

let
  lib = import ./lib/nixpkgs-lib/lib;
  pkgs = import ./stub-pkgs.nix { inherit lib; };
  evaluated = lib.evalModules {
    modules = [ ./nixos-stubs.nix { _module.args.pkgs = pkgs; } host ] ++ extraModules;
  };
  config = evaluated.config;
  # As nixos/modules/system/activation/top-level.nix does.
  failed = map (a: a.message) (builtins.filter (a: !a.assertion) config.assertions);
  checked =
    if failed != [ ] then
      throw "\nFailed assertions:\n${lib.concatStringsSep "\n" (map (m: "- ${m}") failed)}"
    else
      config;
  common = import ../modules/common.nix { inherit config lib pkgs; };
in
{
  systemd = {
    inherit (checked.systemd) services timers tmpfiles;
  };
  users = { inherit (checked.users) users groups; };
  networking.firewall.allowedTCPPorts = checked.networking.firewall.allowedTCPPorts;
  services.nginx = checked.services.nginx;
  virtualisation.docker = checked.virtualisation.docker;
  environment.systemPackages = map (p: p.name) checked.environment.systemPackages;
  # The text of the helper scripts the units' command lines name (by their store path).
  helperScripts.cc-ci-credential-env = common.credentialEnv.text;
}
