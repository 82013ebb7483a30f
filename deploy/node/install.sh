#!/usr/bin/env bash
# Install the hamlet node agent on Raspberry Pi OS (Debian bookworm). Run as root from a
# checkout of the repository:  sudo deploy/node/install.sh
# Idempotent: re-run it to upgrade the code; config and state are kept.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
APP=/opt/truyenthanh/app
VENV=/opt/truyenthanh/venv
ETC=/etc/truyenthanh
VAR=/var/lib/truyenthanh

if [[ $EUID -ne 0 ]]; then
    echo "run as root (sudo $0)" >&2
    exit 1
fi

apt-get update
apt-get install -y --no-install-recommends python3 python3-venv ffmpeg alsa-utils chrony

id truyenthanh >/dev/null 2>&1 || useradd --system --home "$VAR" --shell /usr/sbin/nologin truyenthanh
for group in audio gpio; do
    getent group "$group" >/dev/null && usermod -aG "$group" truyenthanh
done

install -d -m 0755 "$APP"
rm -rf "$APP/broadcast_agents"
cp -r "$REPO/broadcast_agents" "$APP/"
find "$APP" -name __pycache__ -prune -exec rm -rf {} +

[[ -d "$VENV" ]] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --upgrade pip
"$VENV/bin/pip" install -r "$APP/broadcast_agents/requirements.txt"
# gpiozero needs a pin backend on the Pi; lgpio ships with Raspberry Pi OS as python3-lgpio.
"$VENV/bin/pip" install lgpio || echo "note: lgpio not installed; the amplifier relay needs it"

install -d -m 0750 -o root -g truyenthanh "$ETC"
if [[ ! -f "$ETC/agent.toml" ]]; then
    install -m 0640 -o root -g truyenthanh "$REPO/examples/agent.toml" "$ETC/agent.toml"
    echo "edit $ETC/agent.toml (node id, zone, site, broker, controller public key)"
fi
if [[ ! -f "$ETC/agent.env" ]]; then
    install -m 0640 -o root -g truyenthanh /dev/null "$ETC/agent.env"
    echo "# TT_MQTT_PASSWORD=...  TT_CONTROLLER_TOKEN=..." > "$ETC/agent.env"
fi
install -d -m 0750 -o truyenthanh -g truyenthanh "$VAR" "$VAR/cache" "$VAR/state"

install -m 0644 "$REPO/deploy/node/truyenthanh-agent.service" /etc/systemd/system/
systemctl daemon-reload
systemctl enable truyenthanh-agent.service
systemctl restart truyenthanh-agent.service
systemctl --no-pager status truyenthanh-agent.service || true
