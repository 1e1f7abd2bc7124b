# What the parts of the cc-ci module share: the environment cc-ci's commands read, the command
# line of a `ccci` command, the wrapper that turns systemd credentials into environment variables,
# and the checks on option values. Not a module: imported by the module files beside it.
{ config, lib, pkgs }:

let
  cfg = config.services.cc-ci;

  hostname = "([a-z0-9]([a-z0-9-]*[a-z0-9])?[.])*[a-z0-9]([a-z0-9-]*[a-z0-9])?";
  absolutePath = p: lib.hasPrefix "/" p;
  inStore = p: lib.hasPrefix "/nix/store/" p;

  # Every option that names a secret file, with its option path (for the messages below).
  secretFiles = lib.filterAttrs (_: p: p != null) (
    { "services.cc-ci.tls.key" = cfg.tls.key; }
    // lib.optionalAttrs cfg.bridge.enable {
      "services.cc-ci.gitea.tokenFile" = cfg.gitea.tokenFile;
      "services.cc-ci.bridge.webhookSecretFile" = cfg.bridge.webhookSecretFile;
    }
    // lib.optionalAttrs (cfg.bridge.enable || cfg.drone.enable) {
      "services.cc-ci.drone.tokenFile" = cfg.drone.tokenFile;
    }
    // lib.optionalAttrs cfg.drone.enable {
      "services.cc-ci.drone.adminTokenFile" = cfg.drone.adminTokenFile;
      "services.cc-ci.drone.verdictTokenFile" = cfg.drone.verdictTokenFile;
      "services.cc-ci.drone.gitea.clientSecretFile" = cfg.drone.gitea.clientSecretFile;
      "services.cc-ci.drone.rpcSecretFile" = cfg.drone.rpcSecretFile;
      "services.cc-ci.drone.runnerEnvironmentFile" = cfg.drone.runnerEnvironmentFile;
    }
    // lib.optionalAttrs cfg.sso.enable { "services.cc-ci.sso.adminFile" = cfg.sso.adminFile; }
    // { "services.cc-ci.dockerHub.passwordFile" = cfg.dockerHub.passwordFile; }
  );

  repoSlugs = lib.optional (cfg.bridge.enable || cfg.drone.enable) cfg.drone.repo;
in
rec {
  # The settings cc-ci reads (harness/config/settings.ts): the production host routes through the
  # real Traefik (external proxy) and deploys with abra.
  settingsEnvironment = {
    CCCI_HOME = cfg.home;
    CCCI_DOMAIN_SUFFIX = cfg.domain;
    CCCI_PROXY = "external";
    CCCI_PROXY_PORT = "443";
    CCCI_DRIVER = "abra";
    CCCI_SERVER = cfg.abra.server;
    ABRA_DIR = cfg.abra.dir;
    # ./ccci: the Node to run on, and no notes about its own setup in the journal.
    CCCI_NODE = "${cfg.nodejs}/bin/node";
    CCCI_QUIET = "1";
  } // lib.optionalAttrs (cfg.tls.caFile != null) { CCCI_CA_FILE = cfg.tls.caFile; }
    // lib.optionalAttrs cfg.sso.enable {
      CCCI_KEYCLOAK_URL = "https://${cfg.sso.domain}";
      CCCI_KEYCLOAK_ADMIN_FILE = cfg.sso.adminFile;
    }
    // cfg.environment;

  # What cc-ci's commands and a run call: the docker CLI (25 or newer), git, abra under a PTY
  # (`script` from util-linux), Node and npm for ./ccci.
  runtimePath = [
    pkgs.bash
    pkgs.coreutils
    pkgs.util-linux
    pkgs.gnugrep
    pkgs.gnused
    pkgs.findutils
    pkgs.gnutar
    pkgs.gzip
    pkgs.docker
    pkgs.git
    pkgs.openssl
    cfg.nodejs
  ] ++ lib.optional (cfg.abra.package != null) cfg.abra.package;

  # `<checkout>/ccci <command> <args>`: the command line of a cc-ci command.
  ccci = command: args: lib.concatStringsSep " " ([ "${cfg.checkout}/ccci" command ] ++ map lib.escapeShellArg args);

  # Turns systemd credentials (LoadCredential=) into environment variables, then runs the
  # command: `cc-ci-credential-env VAR=credential... -- command args...`. The values are read at
  # run time from $CREDENTIALS_DIRECTORY; the Nix store only ever holds the names.
  credentialEnv = pkgs.writeShellScript "cc-ci-credential-env" ''
    set -eu
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
      var="''${1%%=*}"
      name="''${1#*=}"
      if [ ! -r "$CREDENTIALS_DIRECTORY/$name" ]; then
        echo "cc-ci-credential-env: credential $name is missing (LoadCredential=)" >&2
        exit 1
      fi
      value="$(cat "$CREDENTIALS_DIRECTORY/$name")"
      export "$var=$value"
      shift
    done
    [ "$#" -gt 0 ] && shift
    exec "$@"
  '';

  # ExecStart= for `command` with the credentials `vars` (VAR = credential name) in its environment.
  withCredentials = vars: command:
    "${credentialEnv} "
    + lib.concatStringsSep " " (lib.mapAttrsToList (var: name: "${var}=${name}") vars)
    + " -- ${command}";

  assertions = [
    {
      assertion = builtins.match hostname cfg.domain != null;
      message = "services.cc-ci.domain must be a lower-case DNS name such as ci.example.org (apps are served at <app>.<domain>), got \"${cfg.domain}\".";
    }
    {
      assertion = absolutePath cfg.home && !(inStore cfg.home);
      message = "services.cc-ci.home must be an absolute path outside the Nix store (cc-ci writes its state there), got \"${cfg.home}\".";
    }
    {
      assertion = absolutePath cfg.checkout && !(inStore cfg.checkout);
      message = "services.cc-ci.checkout must be an absolute, writable path outside the Nix store (./ccci installs its dependencies into it), got \"${cfg.checkout}\".";
    }
    {
      assertion = builtins.match "[0-9a-f]{40}" cfg.source.rev != null;
      message = "services.cc-ci.source.rev must be a full commit id (40 hex digits): a branch or tag would make the host depend on when it was rebuilt, got \"${cfg.source.rev}\".";
    }
    {
      assertion = absolutePath cfg.tls.certificate && !(inStore cfg.tls.certificate);
      message = "services.cc-ci.tls.certificate must be an absolute path outside the Nix store, got \"${cfg.tls.certificate}\".";
    }
    {
      assertion = builtins.match "[^[:space:]:]+:[0-9]{1,5}" cfg.bridge.listen != null;
      message = "services.cc-ci.bridge.listen takes host:port, got \"${cfg.bridge.listen}\".";
    }
    {
      assertion = cfg.drone.capacity == 1;
      message = "services.cc-ci.drone.capacity must be 1 (the host policy: every run deploys onto this one swarm), got ${toString cfg.drone.capacity}.";
    }
    {
      assertion = (cfg.proxy.enable || cfg.sso.enable) -> cfg.abra.package != null;
      message = "services.cc-ci.abra.package must be set: the proxy and the SSO provider are Co-op Cloud recipes deployed through abra (see docs/deploying.md).";
    }
    {
      assertion = (cfg.dockerHub.username == null) == (cfg.dockerHub.passwordFile == null);
      message = "services.cc-ci.dockerHub.username and services.cc-ci.dockerHub.passwordFile go together: set both, or neither to pull anonymously.";
    }
    {
      assertion = builtins.all (r: builtins.match "[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+" r != null) repoSlugs;
      message = "services.cc-ci.drone.repo takes owner/name, got ${builtins.toJSON repoSlugs}.";
    }
  ] ++ lib.mapAttrsToList (option: path: {
    assertion = absolutePath path && !(inStore path);
    message = "${option} must be the absolute path of a file outside the Nix store (secrets are read at run time, never copied into the store), got \"${path}\".";
  }) secretFiles;
}
