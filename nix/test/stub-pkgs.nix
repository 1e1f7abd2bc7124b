# STAND-IN FOR NIXPKGS, for tests only: every package the cc-ci module names, as a derivation-shaped
# attribute set with a fake store path (nothing is built). `writeShellScript` keeps its text so a
# test can read what a unit would run. The real packages come from nixpkgs on a NixOS host.
{ lib }:

let
  stub = name: {
    type = "derivation";
    inherit name;
    outPath = "/nix/store/00000000000000000000000000000000-${name}";
  };
  names = [
    "bash" "coreutils" "util-linux" "gnugrep" "gnused" "findutils" "gnutar" "gzip" "curl" "jq"
    "docker" "git" "openssl" "chromium" "nodejs_24" "drone-oss" "drone-runner-exec" "abra"
  ];
in
lib.genAttrs names stub // {
  writeShellScript = name: text: stub name // { inherit text; };
}
