# services.cc-ci: the production cc-ci host as a NixOS module (docs/deploying.md).
#
# This file declares the options and what every part shares (the service user, the state folder,
# the settings cc-ci reads from its environment, the checks on option values). Each concern has its
# own file beside it: docker.nix (engine, swarm, `proxy` network, Docker Hub login), abra.nix
# (abra, its local server, the Traefik proxy and the warm SSO provider as Co-op Cloud recipes),
# drone.nix (Drone server and exec runner), bridge.nix (`ccci bridge`), timers.nix (the nightly
# `ccci sweep`, `ccci prune` and `ccci janitor`), checkout.nix (the pinned cc-ci checkout).
#
# Secrets: every secret is an option holding the *path* of a file (sops-nix, agenix or any file
# the operator puts there), read at run time through systemd's LoadCredential=. No secret value is
# ever read at evaluation time, so none reaches the Nix store.
{ config, lib, pkgs, ... }:

let
  inherit (lib) mkOption mkEnableOption types;
  cfg = config.services.cc-ci;
  common = import ./common.nix { inherit config lib pkgs; };

  secretPath = description: mkOption {
    type = types.str;
    example = "/run/secrets/cc-ci/example";
    description = ''
      ${description} Path of a file holding only the value, read at run time (LoadCredential=);
      never a Nix path literal, which would copy the secret into the world-readable Nix store.
    '';
  };
  optionalSecretPath = description: mkOption {
    type = types.nullOr types.str;
    default = null;
    example = "/run/secrets/cc-ci/example";
    description = ''
      ${description} Path of a file holding only the value, read at run time (LoadCredential=);
      null: not used.
    '';
  };
  schedule = default: what: mkOption {
    type = types.str;
    inherit default;
    description = "When ${what} runs: a systemd calendar expression (systemd.time(7)).";
  };
in
{
  imports = [
    ./checkout.nix
    ./docker.nix
    ./abra.nix
    ./drone.nix
    ./bridge.nix
    ./timers.nix
  ];

  options.services.cc-ci = {
    enable = mkEnableOption "the cc-ci host: a single-node swarm that tests Co-op Cloud recipes";

    source = {
      url = mkOption {
        type = types.str;
        example = "https://git.example.org/coop-cloud/cc-ci.git";
        description = "Git URL of cc-ci itself, cloned into `checkout`.";
      };
      rev = mkOption {
        type = types.str;
        example = "6971e71d2c0c3b8c2e4a1f6d0d2f4a4b7e2f9a10";
        description = ''
          The commit of cc-ci the host runs (a full commit id): the host is reproducible from this
          configuration alone, and an update is a change of this line.
        '';
      };
    };

    checkout = mkOption {
      type = types.str;
      default = "/var/lib/cc-ci/src";
      description = ''
        Where the cc-ci checkout lives. It must be writable: `./ccci` installs its npm dependencies
        into it and Vitest writes its generated configs under `.ccci/`.
      '';
    };

    nodejs = mkOption {
      type = types.package;
      default = pkgs.nodejs_24;
      defaultText = lib.literalExpression "pkgs.nodejs_24";
      description = ''
        The Node cc-ci runs on (`CCCI_NODE`); it must satisfy package.json `engines.node`
        (^22.19.0 || ^24.0.0 || >=26.0.0).
      '';
    };

    user = mkOption {
      type = types.str;
      default = "cc-ci";
      description = "The system user the bridge, the runner and the timers run as (in the docker group).";
    };

    home = mkOption {
      type = types.str;
      default = "/var/lib/cc-ci";
      description = "cc-ci's machine-wide state folder (`CCCI_HOME`): leases, runs, results, source caches, abra's state.";
    };

    domain = mkOption {
      type = types.str;
      example = "ci.example.org";
      description = ''
        The wildcard domain: every app a run deploys is served at `<app>.<domain>`
        (`CCCI_DOMAIN_SUFFIX`). DNS for `*.<domain>` must point at this host.
      '';
    };

    tls = {
      certificate = mkOption {
        type = types.str;
        example = "/run/secrets/cc-ci/wildcard.pem";
        description = ''
          Path of the certificate (full chain, PEM) for `*.<domain>` and `<domain>`, provided by
          the operator (no ACME: the proxy never asks a CA). Read at run time by the proxy unit.
        '';
      };
      key = secretPath "The private key of the wildcard certificate (PEM).";
      caFile = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/etc/ssl/private-ca.pem";
        description = ''
          A CA certificate for cc-ci to trust for app URLs (`CCCI_CA_FILE`), when the wildcard
          certificate is not from a public CA. null: the system trust store.
        '';
      };
    };

    environment = mkOption {
      type = types.attrsOf types.str;
      default = { };
      example = { CCCI_DEBUG = "1"; };
      description = ''
        More environment for every cc-ci command the host runs (docs/configuration.md lists the
        variables). Never a secret: these values end up in the Nix store.
      '';
    };

    proxy = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Deploy the Co-op Cloud `traefik` recipe through abra, serving the wildcard certificate from its file provider.";
      };
      domain = mkOption {
        type = types.str;
        default = "traefik.${cfg.domain}";
        defaultText = lib.literalExpression ''"traefik.''${config.services.cc-ci.domain}"'';
        description = "The Traefik app's own domain (its abra app name).";
      };
      version = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "3.1.0+v3.3.5";
        description = "The traefik recipe release to deploy; null: the newest release abra finds.";
      };
      env = mkOption {
        type = types.attrsOf types.str;
        default = {
          LETS_ENCRYPT_ENV = "";
          WILDCARDS_ENABLED = "1";
          COMPOSE_FILE = "compose.yml:compose.wildcard.yml";
        };
        description = ''
          Values written into the Traefik app's env file after `abra app new`: wildcard mode, the
          certificate from the file provider, no ACME resolver. Check them against the
          `.env.sample` of the recipe release you pin.
        '';
      };
      certSecret = mkOption {
        type = types.str;
        default = "ssl_cert";
        description = "The traefik recipe's secret that holds the wildcard certificate.";
      };
      keySecret = mkOption {
        type = types.str;
        default = "ssl_key";
        description = "The traefik recipe's secret that holds the wildcard key.";
      };
      openFirewall = mkOption {
        type = types.bool;
        default = true;
        description = "Open TCP 80 and 443 for the proxy.";
      };
    };

    sso = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Keep the warm SSO provider (the Co-op Cloud `keycloak` recipe, through abra) deployed for recipes with `deps: ['keycloak']`; runs reach it as CCCI_KEYCLOAK_URL.";
      };
      domain = mkOption {
        type = types.str;
        default = "sso.${cfg.domain}";
        defaultText = lib.literalExpression ''"sso.''${config.services.cc-ci.domain}"'';
        description = "The warm Keycloak's domain.";
      };
      version = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "The keycloak recipe release to deploy; null: the newest release abra finds.";
      };
      env = mkOption {
        type = types.attrsOf types.str;
        default = { LETS_ENCRYPT_ENV = ""; };
        description = "Values written into the Keycloak app's env file after `abra app new`.";
      };
      adminFile = mkOption {
        type = types.str;
        default = "${cfg.home}/keycloak-admin.json";
        defaultText = lib.literalExpression ''"''${config.services.cc-ci.home}/keycloak-admin.json"'';
        description = "The warm Keycloak's admin credentials (JSON, readable by the cc-ci user, kept outside the Nix store; docs/dependencies.md): CCCI_KEYCLOAK_ADMIN_FILE.";
      };
    };

    abra = {
      package = mkOption {
        type = types.nullOr types.package;
        default = null;
        example = lib.literalExpression "pkgs.abra";
        description = ''
          The abra build to use. Required when the proxy or the SSO provider is enabled, and for
          the abra driver: nixpkgs' `abra` may lag far behind; pin a current release.
        '';
      };
      server = mkOption {
        type = types.str;
        default = "default";
        description = "abra's name for this host's swarm (`CCCI_SERVER`); `abra server add --local` makes `default`.";
      };
      dir = mkOption {
        type = types.str;
        default = "${cfg.home}/abra";
        defaultText = lib.literalExpression ''"''${config.services.cc-ci.home}/abra"'';
        description = "abra's state folder (`ABRA_DIR`), shared by the proxy, the SSO provider and cc-ci's runs.";
      };
    };

    swarm.advertiseAddress = mkOption {
      type = types.str;
      default = "127.0.0.1";
      description = "`docker swarm init --advertise-addr`: a single-node swarm needs no routable address.";
    };

    dockerHub = {
      username = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "Docker Hub user to log in as (raises the image pull limit); null: pull anonymously.";
      };
      passwordFile = optionalSecretPath "Docker Hub password or access token (read-only scope is enough).";
    };

    gitea = {
      url = mkOption {
        type = types.str;
        example = "https://git.example.org";
        description = "The Gitea server whose pull requests are tested.";
      };
      tokenFile = secretPath ''
        Gitea token of the bot account for the bridge: read pull requests, comments and org
        membership, write comments and commit statuses (scopes: read:organization,
        write:issue, write:repository; nothing else).
      '';
    };

    drone = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Run the Drone server and one exec runner on this host.";
      };
      serverPackage = mkOption {
        type = types.package;
        default = pkgs.drone-oss;
        defaultText = lib.literalExpression "pkgs.drone-oss";
        description = "The Drone server (its `drone-server` binary).";
      };
      runnerPackage = mkOption {
        type = types.package;
        default = pkgs.drone-runner-exec;
        defaultText = lib.literalExpression "pkgs.drone-runner-exec";
        description = "The Drone exec runner.";
      };
      host = mkOption {
        type = types.str;
        default = "drone.${cfg.domain}";
        defaultText = lib.literalExpression ''"drone.''${config.services.cc-ci.domain}"'';
        description = ''
          Drone's public host name, covered by the wildcard certificate: Drone is served at
          `https://<host>:<httpsPort>` (`DRONE_SERVER_HOST`), the URL Gitea's OAuth app redirects to.
        '';
      };
      port = mkOption {
        type = types.port;
        default = 8080;
        description = "The port Drone's HTTP server listens on, on 127.0.0.1 only (`DRONE_SERVER_PORT`).";
      };
      httpsPort = mkOption {
        type = types.port;
        default = 8443;
        description = ''
          The public HTTPS port of Drone: nginx serves `https://<host>:<httpsPort>/` with the
          wildcard certificate and passes it to Drone. Not 443, which Traefik holds for the apps.
        '';
      };
      openFirewall = mkOption {
        type = types.bool;
        default = true;
        description = "Open `httpsPort` (Gitea's webhooks and the browsers logging in to Drone reach it).";
      };
      url = mkOption {
        type = types.str;
        default = "http://127.0.0.1:${toString cfg.drone.port}";
        defaultText = lib.literalExpression ''"http://127.0.0.1:''${toString config.services.cc-ci.drone.port}"'';
        description = "Where the bridge reaches Drone's API (`CCCI_DRONE_URL`): this host's Drone unless it runs elsewhere.";
      };
      adminUser = mkOption {
        type = types.str;
        example = "ci-bot";
        description = "The Gitea user Drone makes its admin at first start (`DRONE_USER_CREATE`).";
      };
      userFilter = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "coop-cloud" ];
        description = "Only these Gitea users and orgs may log in to Drone (`DRONE_USER_FILTER`); empty: anyone.";
      };
      repo = mkOption {
        type = types.str;
        example = "coop-cloud/cc-ci";
        description = "The repository whose `.drone.yml` runs one recipe per build (cc-ci itself).";
      };
      buildTimeoutMinutes = mkOption {
        type = types.ints.between 10 1440;
        default = 90;
        description = ''
          The build timeout (docs/operating.md: 90 minutes): set on `repo` through Drone's API, and Drone's cleanup deadline for a
          build still running (`DRONE_CLEANUP_DEADLINE_RUNNING`) is ten minutes past it.
        '';
      };
      capacity = mkOption {
        type = types.ints.positive;
        default = 1;
        description = ''
          Pipelines the exec runner runs at once (`DRONE_RUNNER_CAPACITY`). The host policy is 1:
          every run deploys onto this one swarm, and run times are only comparable one at a time.
        '';
      };
      gitea = {
        clientId = mkOption {
          type = types.str;
          example = "0b6c1a8e-0000-0000-0000-000000000000";
          description = "Client id of Drone's OAuth2 application in Gitea (not a secret).";
        };
        clientSecretFile = secretPath "Client secret of Drone's OAuth2 application in Gitea.";
      };
      rpcSecretFile = secretPath "The shared secret between the Drone server and its runner (`openssl rand -hex 16`).";
      tokenFile = secretPath ''
        Token of the Drone machine user the bridge starts builds as (`CCCI_DRONE_TOKEN`;
        `drone user add cc-ci-bridge --machine`, docs/operating.md).
      '';
      adminTokenFile = secretPath ''
        Drone API token of `adminUser` (Drone's account page): `cc-ci-drone-repo` activates `repo`,
        sets its timeout and its secrets with it.
      '';
      verdictTokenFile = optionalSecretPath ''
        The Gitea token the pipeline's verdict step posts with (scopes `write:issue`,
        `write:repository`): stored as the Drone repository secret `gitea_token` (with
        `gitea_url`), which `.drone.yml` reads. null: set those secrets yourself.
      '';
      runnerEnvironmentFile = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/run/secrets/cc-ci/runner.env";
        description = ''
          An env file (KEY=value lines) the runner passes to every pipeline step
          (`DRONE_RUNNER_ENVFILE`), read at run time. Every step sees it, the step that runs a
          recipe's code included: never put a token here. null: none.
        '';
      };
    };

    bridge = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = ''
          Run `ccci bridge`: `!testme` comments on pull requests of the enrolled recipes (those
          with a config folder under recipes/ whose source is on `gitea.url`) start Drone builds.
        '';
      };
      org = mkOption {
        type = types.str;
        example = "coop-cloud";
        description = "Members of this Gitea org may trigger runs (`CCCI_GITEA_ORG`).";
      };
      allowUsers = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Gitea users outside `org` who may trigger runs too (`CCCI_BRIDGE_ALLOWLIST`).";
      };
      pollSeconds = mkOption {
        type = types.ints.between 10 3600;
        default = 60;
        description = "Seconds between two polls of every enrolled repository (`CCCI_BRIDGE_POLL_SECONDS`).";
      };
      listen = mkOption {
        type = types.str;
        default = "127.0.0.1:8787";
        description = "host:port of the bridge's HTTP server: `GET /health`, and `POST /webhook` when a webhook secret is set (`CCCI_BRIDGE_LISTEN`).";
      };
      droneBranch = mkOption {
        type = types.str;
        default = "main";
        description = "The branch of cc-ci that Drone builds run (`CCCI_DRONE_BRANCH`).";
      };
      webhookSecretFile = optionalSecretPath "HMAC key (16 characters or more) of the optional Gitea webhook (`CCCI_WEBHOOK_SECRET`); the poll is the primary trigger.";
    };

    sweep = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Run `ccci sweep` nightly: keep every enrolled recipe's warm canonical on its newest green release.";
      };
      startAt = schedule "*-*-* 02:00:00" "the sweep";
      extraArgs = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "More arguments for `ccci sweep`.";
      };
    };

    prune = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Run `ccci prune` nightly: reclaim disk only under pressure, never volumes, never `--all`.";
      };
      startAt = schedule "*-*-* 04:30:00" "the prune";
      thresholdPercent = mkOption {
        type = types.ints.between 1 100;
        default = 85;
        description = "Disk pressure: `ccci prune --threshold`, the used share of the disk holding Docker's data at which it reclaims anything.";
      };
      extraArgs = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "More arguments for `ccci prune` (e.g. `--dry-run`).";
      };
    };

    janitor = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Run `ccci janitor` nightly: remove what interrupted runs left behind.";
      };
      startAt = schedule "*-*-* 04:00:00" "the janitor";
      keepResultsDays = mkOption {
        type = types.ints.positive;
        default = 30;
        description = "`ccci janitor --keep-results-days`: results folders older than this are removed.";
      };
    };
  };

  config = lib.mkIf cfg.enable {
    assertions = common.assertions;

    users.users.${cfg.user} = {
      isSystemUser = true;
      group = cfg.user;
      extraGroups = [ "docker" ];
      home = cfg.home;
      description = "cc-ci: runs of Co-op Cloud recipes";
    };
    users.groups.${cfg.user} = { };

    systemd.tmpfiles.rules = [
      "d ${cfg.home} 0750 ${cfg.user} ${cfg.user} - -"
      "d ${cfg.home}/results 0750 ${cfg.user} ${cfg.user} - -"
      "d ${cfg.checkout} 0750 ${cfg.user} ${cfg.user} - -"
      "d ${cfg.abra.dir} 0750 ${cfg.user} ${cfg.user} - -"
      # Browser tests launch Chromium at Debian's path (harness/browser/chromium-path.ts).
      "L+ /usr/bin/chromium - - - - ${pkgs.chromium}/bin/chromium"
    ];

    environment.systemPackages = [ pkgs.docker pkgs.git ]
      ++ lib.optional (cfg.abra.package != null) cfg.abra.package;
  };
}
