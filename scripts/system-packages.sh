# Sourced by scripts/test: the Debian packages the test suite drives for real (a headless
# browser for the review page, a PostgreSQL server for the shared ledger), installed when
# missing. Everything else comes from uv.lock through bootstrap.sh.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo -n); fi
    echo "installing Debian packages the tests need: ${missing[*]}" >&2
    if ! { "${sudo[@]}" apt-get update -qq \
            && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
                --no-install-recommends "${missing[@]}" >/dev/null; }; then
        echo "could not install ${missing[*]}: install them as root" \
             "(apt-get install ${missing[*]}) and run ./scripts/test again" >&2
        exit 2
    fi
fi
