#!/usr/bin/env bash
# Installs the Debian packages vrun's tests (or benchmarks) run for real.
# Usage: .ci/deps.sh test|bench. Does nothing for packages already there;
# without root it only says what is missing.
set -euo pipefail
case "${1:-test}" in
  test)  pkgs=(qemu-utils lvm2 e2fsprogs util-linux fdisk tmux iproute2 openvswitch-switch bridge-utils libvirt-clients libvirt-daemon dnf dnf-plugins-core createrepo-c rpm lxc busybox-static rsync debootstrap openssh-server openssh-client sudo cron curl procps passwd) ;;
  bench) pkgs=(ansible-core hyperfine) ;;
  *) echo "usage: $0 test|bench" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "deps: missing ${missing[*]} (install them as root; real-tool tests will be skipped)" >&2
  exit 0
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
