# The Drone server (wired to Gitea through its OAuth2 application) and one exec runner on this
# host: capacity 1 and a build timeout, the documented host policy. NixOS has no Drone module, so
# the units are written here. The runner passes cc-ci's settings to every pipeline step
# (DRONE_RUNNER_ENVIRON) and the PATH of the tools a run calls (DRONE_RUNNER_PATH).
{ config, lib, pkgs, ... }:

let
  cfg = config.services.cc-ci;
  d = cfg.drone;
  common = import ./common.nix { inherit config lib pkgs; };
  stateDir = "/var/lib/cc-ci-drone";
  droneApi = "http://127.0.0.1:${toString d.port}/api";
  publicHost = if d.httpsPort == 443 then d.host else "${d.host}:${toString d.httpsPort}";
  # nginx reads the wildcard certificate through its own systemd credentials: the key needs no
  # permission for the nginx user, and never enters the store.
  nginxCredentials = "/run/credentials/nginx.service";
in
{
  config = lib.mkIf (cfg.enable && d.enable) {
    networking.firewall.allowedTCPPorts = lib.mkIf d.openFirewall [ d.httpsPort ];

    # Drone's public side: HTTPS on httpsPort with the wildcard certificate, to Drone on 127.0.0.1.
    services.nginx = {
      enable = true;
      recommendedProxySettings = true;
      virtualHosts.${d.host} = {
        onlySSL = true;
        listen = [
          { addr = "0.0.0.0"; port = d.httpsPort; ssl = true; }
          { addr = "[::]"; port = d.httpsPort; ssl = true; }
        ];
        sslCertificate = "${nginxCredentials}/drone-cert";
        sslCertificateKey = "${nginxCredentials}/drone-key";
        locations."/" = {
          proxyPass = "http://127.0.0.1:${toString d.port}";
          proxyWebsockets = true;
        };
      };
    };
    systemd.services.nginx.serviceConfig.LoadCredential = [
      "drone-cert:${cfg.tls.certificate}"
      "drone-key:${cfg.tls.key}"
    ];

    systemd.services.cc-ci-drone-server = {
      description = "cc-ci: Drone server for ${cfg.gitea.url}";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" ];
      wants = [ "network-online.target" ];
      environment = {
        DRONE_GITEA_SERVER = cfg.gitea.url;
        DRONE_GITEA_CLIENT_ID = d.gitea.clientId;
        DRONE_SERVER_HOST = publicHost;
        DRONE_SERVER_PROTO = "https";
        DRONE_SERVER_PORT = "127.0.0.1:${toString d.port}";
        DRONE_DATABASE_DRIVER = "sqlite3";
        DRONE_DATABASE_DATASOURCE = "${stateDir}/database.sqlite";
        DRONE_USER_CREATE = "username:${d.adminUser},admin:true";
        DRONE_REGISTRATION_CLOSED = "true";
        # A build still running ten minutes past the timeout is stopped by the server.
        DRONE_CLEANUP_INTERVAL = "10m";
        DRONE_CLEANUP_DEADLINE_RUNNING = "${toString (d.buildTimeoutMinutes + 10)}m";
      } // lib.optionalAttrs (d.userFilter != [ ]) {
        DRONE_USER_FILTER = lib.concatStringsSep "," d.userFilter;
      };
      serviceConfig = {
        ExecStart = common.withCredentials {
          DRONE_GITEA_CLIENT_SECRET = "gitea-client-secret";
          DRONE_RPC_SECRET = "rpc-secret";
        } "${d.serverPackage}/bin/drone-server";
        LoadCredential = [
          "gitea-client-secret:${d.gitea.clientSecretFile}"
          "rpc-secret:${d.rpcSecretFile}"
        ];
        DynamicUser = true;
        StateDirectory = "cc-ci-drone";
        Restart = "on-failure";
        RestartSec = "5s";
      };
    };

    systemd.services.cc-ci-drone-runner = {
      description = "cc-ci: Drone exec runner (capacity ${toString d.capacity}) for cc-ci's runs";
      wantedBy = [ "multi-user.target" ];
      after = [ "cc-ci-drone-server.service" "cc-ci-checkout.service" "cc-ci-swarm.service" ]
        ++ lib.optional cfg.proxy.enable "cc-ci-proxy.service"
        ++ lib.optional (cfg.dockerHub.username != null) "cc-ci-docker-login.service";
      requires = [ "cc-ci-checkout.service" "cc-ci-swarm.service" ];
      wants = [ "cc-ci-drone-server.service" ];
      path = common.runtimePath;
      environment = {
        DRONE_RPC_PROTO = "http";
        DRONE_RPC_HOST = "127.0.0.1:${toString d.port}";
        DRONE_RUNNER_NAME = "cc-ci-exec";
        DRONE_RUNNER_CAPACITY = toString d.capacity;
        DRONE_RUNNER_PATH = lib.makeBinPath common.runtimePath;
        DRONE_RUNNER_ENVIRON = lib.concatStringsSep ","
          (lib.mapAttrsToList (k: v: "${k}:${v}") common.settingsEnvironment);
        DRONE_LIMIT_REPOS = d.repo;
      };
      serviceConfig = {
        ExecStart = common.withCredentials { DRONE_RPC_SECRET = "rpc-secret"; }
          "${d.runnerPackage}/bin/drone-runner-exec daemon";
        LoadCredential = [ "rpc-secret:${d.rpcSecretFile}" ]
          ++ lib.optional (d.runnerEnvironmentFile != null) "runner-env:${d.runnerEnvironmentFile}";
        # In serviceConfig, not `environment`: systemd must expand %d (the credentials folder).
        Environment = lib.optional (d.runnerEnvironmentFile != null) "DRONE_RUNNER_ENVFILE=%d/runner-env";
        User = cfg.user;
        Group = cfg.user;
        Restart = "on-failure";
        RestartSec = "5s";
      };
    };

    # The build timeout and the verdict's secrets live on the repository in Drone: activate
    # cc-ci's repository, set its timeout, and store the verdict token as its `gitea_token` secret.
    systemd.services.cc-ci-drone-repo = {
      description = "cc-ci: activate ${d.repo} in Drone with a ${toString d.buildTimeoutMinutes} min build timeout";
      wantedBy = [ "multi-user.target" ];
      after = [ "cc-ci-drone-server.service" ];
      requires = [ "cc-ci-drone-server.service" ];
      path = [ pkgs.curl pkgs.coreutils pkgs.gnugrep pkgs.jq ];
      serviceConfig = {
        Type = "oneshot";
        RemainAfterExit = true;
        DynamicUser = true;
        RuntimeDirectory = "cc-ci-drone-repo";
        RuntimeDirectoryMode = "0700";
        LoadCredential = [ "drone-admin-token:${d.adminTokenFile}" ]
          ++ lib.optional (d.verdictTokenFile != null) "verdict-token:${d.verdictTokenFile}";
      };
      script = ''
        set -eu
        api=${lib.escapeShellArg "${droneApi}/repos/${d.repo}"}
        # Secrets reach curl in files (printf is a shell builtin, jq reads the file itself):
        # never on a command line.
        auth="$RUNTIME_DIRECTORY/auth"
        printf 'Authorization: Bearer %s\n' "$(cat "$CREDENTIALS_DIRECTORY/drone-admin-token")" >"$auth"
        for _ in $(seq 60); do
          curl -fsS -o /dev/null -H @"$auth" ${lib.escapeShellArg "${droneApi}/user"} && break
          sleep 2
        done
        if ! curl -fsS -H @"$auth" "$api" | grep -q '"active":true'; then
          curl -fsS -o /dev/null -X POST -H @"$auth" "$api"
        fi
        curl -fsS -o /dev/null -X PATCH -H @"$auth" -H 'Content-Type: application/json' \
          --data '{"timeout": ${toString d.buildTimeoutMinutes}}' "$api"
        # put_secret NAME FILE: create or update the repository secret NAME from FILE.
        put_secret() {
          body="$RUNTIME_DIRECTORY/secret.json"
          jq -n --arg name "$1" --rawfile data "$2" \
            '{name: $name, data: ($data | rtrimstr("\n")), pull_request: false}' >"$body"
          if curl -fsS -o /dev/null -H @"$auth" "$api/secrets/$1"; then
            curl -fsS -o /dev/null -X PATCH -H @"$auth" -H 'Content-Type: application/json' \
              --data @"$body" "$api/secrets/$1"
          else
            curl -fsS -o /dev/null -X POST -H @"$auth" -H 'Content-Type: application/json' \
              --data @"$body" "$api/secrets"
          fi
          rm -f "$body"
        }
        ${lib.optionalString (d.verdictTokenFile != null) ''
          printf '%s' ${lib.escapeShellArg cfg.gitea.url} >"$RUNTIME_DIRECTORY/gitea-url"
          put_secret gitea_url "$RUNTIME_DIRECTORY/gitea-url"
          put_secret gitea_token "$CREDENTIALS_DIRECTORY/verdict-token"
        ''}
      '';
    };
  };
}
