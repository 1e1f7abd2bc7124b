# STAND-IN FOR NIXOS, for tests only. There is no nixpkgs/NixOS on the machines CI runs on, only
# the Nix library: this module declares the small subset of NixOS options the cc-ci module sets,
# with the types NixOS gives them (nixos/modules/system/boot/systemd.nix, users-groups.nix,
# virtualisation/docker.nix, networking/firewall.nix, web-servers/nginx, misc/assertions.nix), so that
# `lib.evalModules` type-checks and merges the module's definitions the way NixOS would. It does
# nothing else: no unit files are generated. The real check is `nixos-rebuild build` on a NixOS
# host (docs/deploying.md).
{ lib, ... }:

let
  inherit (lib) mkOption types;
  unitOption = types.oneOf [ types.bool types.int types.str (types.listOf types.str) ];
  unitNames = mkOption { type = types.listOf types.str; default = [ ]; };
  service = types.submodule {
    options = {
      enable = mkOption { type = types.bool; default = true; };
      description = mkOption { type = types.str; default = ""; };
      wantedBy = unitNames;
      requiredBy = unitNames;
      after = unitNames;
      before = unitNames;
      requires = unitNames;
      wants = unitNames;
      bindsTo = unitNames;
      partOf = unitNames;
      environment = mkOption {
        type = types.attrsOf (types.nullOr (types.oneOf [ types.str types.path types.package ]));
        default = { };
      };
      path = mkOption { type = types.listOf (types.oneOf [ types.package types.str ]); default = [ ]; };
      serviceConfig = mkOption { type = types.attrsOf unitOption; default = { }; };
      unitConfig = mkOption { type = types.attrsOf unitOption; default = { }; };
      script = mkOption { type = types.lines; default = ""; };
      preStart = mkOption { type = types.lines; default = ""; };
      postStart = mkOption { type = types.lines; default = ""; };
      restartIfChanged = mkOption { type = types.bool; default = true; };
      startAt = mkOption { type = types.either types.str (types.listOf types.str); default = [ ]; };
    };
  };
  timer = types.submodule {
    options = {
      enable = mkOption { type = types.bool; default = true; };
      description = mkOption { type = types.str; default = ""; };
      wantedBy = unitNames;
      after = unitNames;
      requires = unitNames;
      timerConfig = mkOption { type = types.attrsOf unitOption; default = { }; };
      unitConfig = mkOption { type = types.attrsOf unitOption; default = { }; };
    };
  };
  user = types.submodule {
    options = {
      isSystemUser = mkOption { type = types.bool; default = false; };
      isNormalUser = mkOption { type = types.bool; default = false; };
      group = mkOption { type = types.str; default = ""; };
      extraGroups = mkOption { type = types.listOf types.str; default = [ ]; };
      home = mkOption { type = types.path; default = "/var/empty"; };
      createHome = mkOption { type = types.bool; default = false; };
      description = mkOption { type = types.str; default = ""; };
    };
  };
in
{
  options = {
    assertions = mkOption {
      type = types.listOf types.unspecified;
      default = [ ];
      description = "NixOS: failed assertions stop the build with their messages.";
    };
    warnings = mkOption { type = types.listOf types.str; default = [ ]; };

    systemd.services = mkOption { type = types.attrsOf service; default = { }; };
    systemd.timers = mkOption { type = types.attrsOf timer; default = { }; };
    systemd.tmpfiles.rules = mkOption { type = types.listOf types.str; default = [ ]; };

    users.users = mkOption { type = types.attrsOf user; default = { }; };
    users.groups = mkOption {
      type = types.attrsOf (types.submodule { options.gid = mkOption { type = types.nullOr types.int; default = null; }; });
      default = { };
    };

    networking.firewall.allowedTCPPorts = mkOption { type = types.listOf types.port; default = [ ]; };

    virtualisation.docker = {
      enable = mkOption { type = types.bool; default = false; };
      daemon.settings = mkOption {
        type = types.submodule {
          freeformType = types.attrsOf types.anything;
          options.live-restore = mkOption { type = types.bool; default = false; };
        };
        default = { };
      };
      autoPrune.enable = mkOption { type = types.bool; default = false; };
    };

    environment.systemPackages = mkOption { type = types.listOf types.package; default = [ ]; };

    # nixos/modules/services/web-servers/nginx/ (default.nix, vhost-options.nix, location-options.nix)
    services.nginx = {
      enable = mkOption { type = types.bool; default = false; };
      recommendedProxySettings = mkOption { type = types.bool; default = false; };
      virtualHosts = mkOption {
        type = types.attrsOf (types.submodule {
          options = {
            onlySSL = mkOption { type = types.bool; default = false; };
            forceSSL = mkOption { type = types.bool; default = false; };
            listen = mkOption {
              type = types.listOf (types.submodule {
                options = {
                  addr = mkOption { type = types.str; };
                  port = mkOption { type = types.nullOr types.port; default = null; };
                  ssl = mkOption { type = types.bool; default = false; };
                };
              });
              default = [ ];
            };
            sslCertificate = mkOption { type = types.path; };
            sslCertificateKey = mkOption { type = types.path; };
            locations = mkOption {
              type = types.attrsOf (types.submodule {
                options = {
                  proxyPass = mkOption { type = types.nullOr types.str; default = null; };
                  proxyWebsockets = mkOption { type = types.bool; default = false; };
                };
              });
              default = { };
            };
          };
        });
        default = { };
      };
    };
  };
}
