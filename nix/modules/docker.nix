# Docker with a single-node swarm and the `proxy` overlay network every Co-op Cloud app joins;
# the optional Docker Hub login (pull limits). The swarm unit is idempotent: it initialises the
# swarm and creates the network only when they are missing.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.cc-ci;
in
{
  config = lib.mkIf cfg.enable (lib.mkMerge [
    {
      virtualisation.docker = {
        enable = true;
        # live-restore is incompatible with swarm mode.
        daemon.settings.live-restore = false;
        # Never Docker's own prune: `ccci prune` is the safe policy (never volumes, never --all,
        # never while a run is live).
        autoPrune.enable = false;
      };

      systemd.services.cc-ci-swarm = {
        description = "cc-ci: single-node Docker swarm and the proxy overlay network";
        wantedBy = [ "multi-user.target" ];
        after = [ "docker.service" ];
        requires = [ "docker.service" ];
        path = [ pkgs.docker pkgs.coreutils ];
        serviceConfig = {
          Type = "oneshot";
          RemainAfterExit = true;
        };
        script = ''
          set -eu
          if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != "active" ]; then
            docker swarm init --advertise-addr ${lib.escapeShellArg cfg.swarm.advertiseAddress}
          fi
          if ! docker network inspect proxy >/dev/null 2>&1; then
            docker network create --driver overlay --attachable --scope swarm proxy
          fi
        '';
      };
    }

    (lib.mkIf (cfg.dockerHub.username != null) {
      systemd.services.cc-ci-docker-login = {
        description = "cc-ci: log in to Docker Hub as ${cfg.dockerHub.username} (pull limits)";
        wantedBy = [ "multi-user.target" ];
        after = [ "docker.service" "network-online.target" ];
        requires = [ "docker.service" ];
        wants = [ "network-online.target" ];
        path = [ pkgs.docker ];
        # The docker CLI of cc-ci's user keeps the login (its ~/.docker/config.json).
        environment.HOME = cfg.home;
        serviceConfig = {
          Type = "oneshot";
          RemainAfterExit = true;
          User = cfg.user;
          Group = cfg.user;
          LoadCredential = [ "dockerhub-password:${cfg.dockerHub.passwordFile}" ];
        };
        script = ''
          set -eu
          docker login --username ${lib.escapeShellArg cfg.dockerHub.username} --password-stdin \
            <"$CREDENTIALS_DIRECTORY/dockerhub-password"
        '';
      };
    })
  ]);
}
