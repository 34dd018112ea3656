#!/usr/bin/env bash
# Installs the Debian 12 packages LLM Workbench needs. Idempotent: when everything is
# already installed it only checks (well under a second) and exits.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # Qt 6 (Widgets, Charts, Test, LinguistTools) and the offscreen/xcb platform plugins
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools
  qt6-l10n-tools qt6-qpa-plugins libqt6opengl6-dev libgl-dev libxkbcommon-dev
  # engine
  libtorch-dev libopenblas0-pthread libfaiss-dev libsentencepiece-dev sentencepiece
  libsqlite3-dev sqlite3
  # helpers
  nlohmann-json3-dev libcli11-dev libpcre2-dev libicu-dev libpoppler-cpp-dev libcpp-httplib-dev
  # the system keychain for remote endpoints' API keys
  qtkeychain-qt6-dev
  # running the GUI headless, and CJK glyphs for the Chinese demo data and translation
  xvfb xauth fonts-noto-cjk
  # the OpenAI Node client's test of llmwb serve (tests/node)
  nodejs
)
# A Node.js from elsewhere (NodeSource) bundles npm and conflicts with Debian's npm package.
command -v npm >/dev/null || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
