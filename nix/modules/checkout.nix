# The cc-ci checkout the host runs: cloned from services.cc-ci.source.url and pinned to
# services.cc-ci.source.rev, its npm dependencies installed by ./ccci itself. Idempotent: a
# rebuild with the same rev changes nothing; a new rev is fetched and checked out.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.cc-ci;
  common = import ./common.nix { inherit config lib pkgs; };
in
{
  config = lib.mkIf cfg.enable {
    systemd.services.cc-ci-checkout = {
      description = "cc-ci: check out ${cfg.source.rev} of cc-ci into ${cfg.checkout}";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" "systemd-tmpfiles-setup.service" ];
      wants = [ "network-online.target" ];
      path = common.runtimePath;
      environment = common.settingsEnvironment;
      serviceConfig = {
        Type = "oneshot";
        RemainAfterExit = true;
        User = cfg.user;
        Group = cfg.user;
      };
      script = ''
        set -eu
        checkout=${lib.escapeShellArg cfg.checkout}
        rev=${lib.escapeShellArg cfg.source.rev}
        if [ ! -d "$checkout/.git" ]; then
          git clone --quiet ${lib.escapeShellArg cfg.source.url} "$checkout"
        fi
        cd "$checkout"
        if ! git cat-file -e "$rev^{commit}" 2>/dev/null; then
          git fetch --quiet origin
        fi
        # --force: the checkout is exactly the commit, whatever was changed by hand.
        git checkout --quiet --force "$rev"
        # ./ccci installs the npm dependencies when they are missing or stale, then prints
        # the PATH line: nothing else runs.
        ./ccci env >/dev/null
      '';
    };
  };
}
