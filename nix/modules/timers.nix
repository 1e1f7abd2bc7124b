# The nightly jobs: `ccci sweep` (keep every enrolled recipe's warm canonical on its newest green
# release), `ccci janitor` (remove what interrupted runs left) and `ccci prune` (reclaim disk only
# under pressure). Each is a oneshot service started by a timer of the same name; a missed night
# runs at the next boot (Persistent=).
{ config, lib, pkgs, ... }:

let
  cfg = config.services.cc-ci;
  common = import ./common.nix { inherit config lib pkgs; };

  job = { name, description, command, args, startAt, after, requires }: {
    services.${name} = {
      inherit description after requires;
      path = common.runtimePath;
      environment = common.settingsEnvironment;
      serviceConfig = {
        Type = "oneshot";
        ExecStart = common.ccci command args;
        WorkingDirectory = cfg.checkout;
        User = cfg.user;
        Group = cfg.user;
      };
    };
    timers.${name} = {
      description = "${description} (timer)";
      wantedBy = [ "timers.target" ];
      timerConfig = {
        OnCalendar = startAt;
        Persistent = true;
        RandomizedDelaySec = "10min";
        Unit = "${name}.service";
      };
    };
  };

  base = [ "cc-ci-checkout.service" "cc-ci-swarm.service" ];
in
{
  config = lib.mkIf cfg.enable {
    systemd = lib.mkMerge [
      (lib.mkIf cfg.sweep.enable (job {
        name = "cc-ci-sweep";
        description = "cc-ci: nightly sweep of the warm canonicals";
        command = "sweep";
        args = cfg.sweep.extraArgs;
        inherit (cfg.sweep) startAt;
        after = base ++ lib.optional cfg.proxy.enable "cc-ci-proxy.service"
          ++ lib.optional cfg.sso.enable "cc-ci-sso.service";
        requires = base ++ lib.optional cfg.proxy.enable "cc-ci-proxy.service";
      }))
      (lib.mkIf cfg.janitor.enable (job {
        name = "cc-ci-janitor";
        description = "cc-ci: remove what interrupted runs left behind";
        command = "janitor";
        args = [ "--keep-results-days" (toString cfg.janitor.keepResultsDays) ];
        inherit (cfg.janitor) startAt;
        after = base;
        requires = base;
      }))
      (lib.mkIf cfg.prune.enable (job {
        name = "cc-ci-prune";
        description = "cc-ci: reclaim disk under pressure (the safe prune)";
        command = "prune";
        args = [ "--threshold" (toString cfg.prune.thresholdPercent) ] ++ cfg.prune.extraArgs;
        inherit (cfg.prune) startAt;
        after = base ++ [ "cc-ci-janitor.service" ];
        requires = base;
      }))
    ];
  };
}
