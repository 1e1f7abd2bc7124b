# `ccci bridge`: polls the enrolled recipes' pull requests for `!testme` (and takes Gitea
# webhooks when a webhook secret is set), starts a Drone build per run, posts the verdict back.
# Its settings are harness/bridge/bridge-config.ts's variables; the tokens and the HMAC key come
# from files through systemd credentials.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.cc-ci;
  b = cfg.bridge;
  common = import ./common.nix { inherit config lib pkgs; };
in
{
  config = lib.mkIf (cfg.enable && b.enable) {
    systemd.services.cc-ci-bridge = {
      description = "cc-ci: the !testme bridge (${cfg.gitea.url} to Drone)";
      wantedBy = [ "multi-user.target" ];
      after = [ "cc-ci-checkout.service" "network-online.target" ]
        ++ lib.optional cfg.drone.enable "cc-ci-drone-server.service";
      requires = [ "cc-ci-checkout.service" ];
      wants = [ "network-online.target" ]
        ++ lib.optional cfg.drone.enable "cc-ci-drone-server.service";
      path = common.runtimePath;
      environment = common.settingsEnvironment // {
        CCCI_GITEA_URL = cfg.gitea.url;
        CCCI_GITEA_ORG = b.org;
        CCCI_BRIDGE_ALLOWLIST = lib.concatStringsSep "," b.allowUsers;
        CCCI_BRIDGE_POLL_SECONDS = toString b.pollSeconds;
        CCCI_BRIDGE_LISTEN = b.listen;
        CCCI_DRONE_URL = cfg.drone.url;
        CCCI_DRONE_REPO = cfg.drone.repo;
        CCCI_DRONE_BRANCH = b.droneBranch;
      };
      serviceConfig = {
        ExecStart = common.withCredentials ({
          CCCI_GITEA_TOKEN = "gitea-token";
          CCCI_DRONE_TOKEN = "drone-token";
        } // lib.optionalAttrs (b.webhookSecretFile != null) {
          CCCI_WEBHOOK_SECRET = "webhook-secret";
        }) (common.ccci "bridge" [ ]);
        LoadCredential = [
          "gitea-token:${cfg.gitea.tokenFile}"
          "drone-token:${cfg.drone.tokenFile}"
        ] ++ lib.optional (b.webhookSecretFile != null) "webhook-secret:${b.webhookSecretFile}";
        WorkingDirectory = cfg.checkout;
        User = cfg.user;
        Group = cfg.user;
        Restart = "always";
        RestartSec = "10s";
      };
    };
  };
}
