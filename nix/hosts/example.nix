# An example cc-ci host: every part enabled, with placeholder values. Copy it next to your
# machine's configuration.nix, import it there, and replace every example.org, the commit and
# the secret paths (docs/deploying.md says what each must be and how to check it).
{ pkgs, ... }:

{
  imports = [ ../modules/cc-ci.nix ];

  services.cc-ci = {
    enable = true;

    source = {
      url = "https://git.example.org/coop-cloud/cc-ci.git";
      rev = "0000000000000000000000000000000000000000";
    };

    # *.ci.example.org must resolve to this host; the certificate covers it.
    domain = "ci.example.org";
    tls = {
      certificate = "/run/secrets/cc-ci/wildcard-fullchain.pem";
      key = "/run/secrets/cc-ci/wildcard-key.pem";
    };

    abra.package = pkgs.abra;

    gitea = {
      url = "https://git.example.org";
      tokenFile = "/run/secrets/cc-ci/gitea-token";
    };

    drone = {
      adminUser = "cc-ci-bot";
      userFilter = [ "coop-cloud" ];
      repo = "coop-cloud/cc-ci";
      buildTimeoutMinutes = 90;
      capacity = 1;
      gitea = {
        clientId = "00000000-0000-0000-0000-000000000000";
        clientSecretFile = "/run/secrets/cc-ci/drone-gitea-client-secret";
      };
      rpcSecretFile = "/run/secrets/cc-ci/drone-rpc-secret";
      # The bridge's machine user; the admin's token; the verdict step's Gitea token.
      tokenFile = "/run/secrets/cc-ci/drone-token";
      adminTokenFile = "/run/secrets/cc-ci/drone-admin-token";
      verdictTokenFile = "/run/secrets/cc-ci/verdict-gitea-token";
    };

    bridge = {
      org = "coop-cloud";
      allowUsers = [ ];
      webhookSecretFile = "/run/secrets/cc-ci/webhook-hmac";
    };

    dockerHub = {
      username = "cc-ci-bot";
      passwordFile = "/run/secrets/cc-ci/dockerhub-token";
    };

    sweep.enable = true;
    janitor.enable = true;
    prune.enable = true;
    sso.enable = true;
  };
}
