# abra and the two Co-op Cloud recipes the host keeps deployed through it: the proxy (the real
# `traefik` recipe in wildcard / file-provider mode, serving the operator's certificate, no ACME)
# and the warm SSO provider (the `keycloak` recipe). Each is a oneshot unit that is idempotent:
# `abra app new` only when the app has no env file yet, secrets inserted only when missing, and a
# deploy that leaves a running app as it is when nothing changed.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.cc-ci;
  common = import ./common.nix { inherit config lib pkgs; };
  q = lib.escapeShellArg;

  # Shell functions every abra unit uses. abra needs a terminal even with --no-input: it runs
  # under `script` (util-linux), as cc-ci's own abra driver does (harness/abra/run-abra.ts).
  abraFunctions = ''
    set -eu
    abra() { script -qec "abra $(printf '%q ' "$@")" /dev/null; }
    # set_env FILE KEY VALUE: KEY=VALUE in an abra env file, once, at its end (commented-out
    # examples of KEY stay as they are). Running it again gives the same file.
    set_env() {
      sed -i "/^$2=/d" "$1"
      printf '%s=%s\n' "$2" "$3" >>"$1"
    }
  '';

  # The script of one app unit: create the app once, write its env values, insert the secrets
  # given as files (a version per file content, so a renewed certificate is a new secret), let
  # abra generate the others once, deploy.
  appScript = { recipe, domain, version, env, fileSecrets ? { }, generateSecrets ? true }: ''
    ${abraFunctions}
    domain=${q domain}
    env_file=${q cfg.abra.dir}/servers/${q cfg.abra.server}/"$domain".env
    stack="$(printf '%s' "$domain" | tr . _)"
    if [ ! -f "$env_file" ]; then
      abra recipe fetch ${q recipe} --no-input
      abra app new ${q recipe} ${lib.optionalString (version != null) (q version)} \
        --domain "$domain" --server ${q cfg.abra.server} --no-input
    fi
    ${lib.concatStrings (lib.mapAttrsToList (k: v: ''
      set_env "$env_file" ${q k} ${q v}
    '') env)}
    ${lib.concatStrings (lib.mapAttrsToList (secret: s: ''
      version="c$(sha256sum "$CREDENTIALS_DIRECTORY/${s.credential}" | cut -c1-10)"
      if ! docker secret inspect "''${stack}_${secret}_$version" >/dev/null 2>&1; then
        abra app secret insert "$domain" ${q secret} "$version" "$CREDENTIALS_DIRECTORY/${s.credential}" -f --no-input
      fi
      set_env "$env_file" ${q s.versionKey} "$version"
    '') fileSecrets)}
    ${lib.optionalString generateSecrets ''
      generated=${q cfg.abra.dir}/servers/${q cfg.abra.server}/."$domain".secrets-generated
      if [ ! -f "$generated" ]; then
        abra app secret generate "$domain" --all --no-input
        touch "$generated"
      fi
    ''}
    abra app deploy "$domain" ${lib.optionalString (version != null) (q version)} --force --no-input --no-domain-checks
  '';

  appUnit = { description, after, requires, credentials ? [ ], script }: {
    inherit description after requires script;
    wantedBy = [ "multi-user.target" ];
    path = common.runtimePath;
    environment = common.settingsEnvironment;
    serviceConfig = {
      Type = "oneshot";
      RemainAfterExit = true;
      User = cfg.user;
      Group = cfg.user;
      LoadCredential = credentials;
      TimeoutStartSec = "30min";
    };
  };
in
{
  config = lib.mkIf (cfg.enable && cfg.abra.package != null) (lib.mkMerge [
    {
      systemd.services.cc-ci-abra-server = {
        description = "cc-ci: abra's local server (${cfg.abra.server}) in ${cfg.abra.dir}";
        wantedBy = [ "multi-user.target" ];
        after = [ "cc-ci-swarm.service" "systemd-tmpfiles-setup.service" ];
        requires = [ "cc-ci-swarm.service" ];
        path = common.runtimePath;
        environment = common.settingsEnvironment;
        serviceConfig = {
          Type = "oneshot";
          RemainAfterExit = true;
          User = cfg.user;
          Group = cfg.user;
        };
        script = ''
          ${abraFunctions}
          if [ ! -d ${q cfg.abra.dir}/servers/${q cfg.abra.server} ]; then
            abra server add --local --no-input
          fi
        '';
      };
    }

    (lib.mkIf cfg.proxy.enable {
      networking.firewall.allowedTCPPorts = lib.mkIf cfg.proxy.openFirewall [ 80 443 ];

      systemd.services.cc-ci-proxy = appUnit {
        description = "cc-ci: the traefik recipe at ${cfg.proxy.domain}, serving *.${cfg.domain}";
        after = [ "cc-ci-abra-server.service" "cc-ci-swarm.service" ];
        requires = [ "cc-ci-abra-server.service" "cc-ci-swarm.service" ];
        credentials = [
          "wildcard-cert:${cfg.tls.certificate}"
          "wildcard-key:${cfg.tls.key}"
        ];
        script = appScript {
          recipe = "traefik";
          inherit (cfg.proxy) domain version env;
          generateSecrets = false;
          fileSecrets = {
            ${cfg.proxy.certSecret} = { credential = "wildcard-cert"; versionKey = "SECRET_WILDCARD_CERT_VERSION"; };
            ${cfg.proxy.keySecret} = { credential = "wildcard-key"; versionKey = "SECRET_WILDCARD_KEY_VERSION"; };
          };
        };
      };
    })

    (lib.mkIf cfg.sso.enable {
      systemd.services.cc-ci-sso = appUnit {
        description = "cc-ci: the warm SSO provider (keycloak recipe) at ${cfg.sso.domain}";
        after = [ "cc-ci-proxy.service" "cc-ci-abra-server.service" ];
        requires = [ "cc-ci-abra-server.service" ] ++ lib.optional cfg.proxy.enable "cc-ci-proxy.service";
        script = appScript {
          recipe = "keycloak";
          inherit (cfg.sso) domain version env;
        };
      };
    })
  ]);
}
