#!/usr/bin/env bash
# A software Vulkan driver Dawn accepts, for the WebGPU numerical test on machines without a GPU:
# Mesa 25's lavapipe from Debian bookworm-backports, unpacked into a folder (the system's drivers
# stay as they are; Debian 12's own Mesa 22.3 is rejected by Dawn). Prints the ICD file to put in
# VK_ICD_FILENAMES. Needs root for apt (CI). usage: scripts/software-vulkan.sh [DIR]
set -euo pipefail
dest=$(realpath -m "${1:-.cache/mesa-vulkan}")
icd="$dest/lvp_icd.json"
if [ ! -f "$icd" ]; then
  if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo 'deb http://deb.debian.org/debian bookworm-backports main' >/etc/apt/sources.list.d/bookworm-backports.list
  fi
  apt-get update -qq
  download=$(mktemp -d)
  chmod 777 "$download"
  (cd "$download" && apt-get download -qq -t bookworm-backports mesa-vulkan-drivers)
  deb=$(ls "$download"/mesa-vulkan-drivers_*.deb)
  # Its shared-library dependencies, from the default suite (lavapipe needs no newer ones).
  deps=$(dpkg-deb -f "$deb" Depends | sed -e 's/([^)]*)//g' -e 's/,/ /g')
  apt-get install -y -qq --no-install-recommends $deps >/dev/null
  mkdir -p "$dest"
  dpkg -x "$deb" "$dest/root"
  lib=$(find "$dest/root" -name libvulkan_lvp.so | head -1)
  sed "s#\"libvulkan_lvp.so\"#\"$lib\"#" "$dest/root/usr/share/vulkan/icd.d/lvp_icd.json" >"$icd.tmp"
  mv "$icd.tmp" "$icd"
  rm -rf "$download"
fi
echo "$icd"
