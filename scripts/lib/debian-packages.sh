# Sourced by the setup scripts: ensure_debian_packages LABEL PACKAGE... installs, with apt-get, the Debian packages
# of the list that are not installed yet (nothing when all are); fails with a message naming them when it cannot.
ensure_debian_packages() {
  local label=$1
  shift
  local missing=() package
  for package in "$@"; do
    if ! dpkg -s "$package" >/dev/null 2>&1; then missing+=("$package"); fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$label: missing Debian packages ${missing[*]} and no apt-get to install them" >&2
    return 1
  fi
  echo "$label: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
