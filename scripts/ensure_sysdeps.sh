#!/usr/bin/env bash
# Install the Debian packages the product and its tests need, when they are missing.
# As root: apt-get installs them. Otherwise: print the one command to run, and fail.
set -euo pipefail

need=()
# check PROGRAM PACKAGE: Debian puts some daemons in /usr/sbin, which a user's PATH may lack.
check() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ] || need+=("$2")
}
check ffmpeg ffmpeg
check ffprobe ffmpeg
check espeak-ng espeak-ng
check mosquitto mosquitto
check mosquitto_passwd mosquitto
check mosquitto_pub mosquitto-clients
check sox sox
check aplay alsa-utils
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)  # PDF reports
if [ "${1:-}" = "--test" ]; then
  check chromium chromium
  check psql postgresql-client
  check nats-server nats-server
  check pdftotext poppler-utils
fi
[ "${#need[@]}" -eq 0 ] && exit 0
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "${need[@]}" >&2
else
  echo "Missing system packages. Run:  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
