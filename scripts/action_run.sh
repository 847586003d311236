#!/usr/bin/env bash
# The steps of the importguard GitHub Action (action.yml), kept here so a test can run them with
# the environment a runner sets.
#
#   action_run.sh install  installs importguard into its own virtualenv (PEP 668: the runner's
#                          Python may refuse a global pip install), puts it on GITHUB_PATH and
#                          writes `version=` to GITHUB_OUTPUT for the cache key;
#                          IMPORTGUARD_SKIP_INSTALL=1 uses the importguard already on PATH.
#   action_run.sh check    runs `importguard $INPUT_ARGS --output-format github $INPUT_SRC` in
#                          GITHUB_WORKSPACE, writes every finding to GITHUB_STEP_SUMMARY (GitHub
#                          shows at most 10 annotations of a kind per step) and, with
#                          INPUT_SARIF_FILE, a SARIF report; exits with the first run's code.
set -euo pipefail

install() {
    if [ "${IMPORTGUARD_SKIP_INSTALL:-}" != 1 ]; then
        local requirement="${INPUT_VERSION:-}"
        if [ -z "$requirement" ]; then
            requirement="$GITHUB_ACTION_PATH"  # the ref named in `uses:`
        elif [[ "$requirement" =~ ^[0-9][0-9A-Za-z.+!-]*$ ]]; then
            requirement="importguard==$requirement"
        fi
        local venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/importguard-venv"
        "$(command -v python3 || command -v python)" -m venv "$venv"
        local bin="$venv/bin"
        [ -d "$bin" ] || bin="$venv/Scripts"  # Windows
        "$bin/python" -m pip install --quiet --disable-pip-version-check "$requirement"
        export PATH="$bin:$PATH"
        [ -z "${GITHUB_PATH:-}" ] || echo "$bin" >>"$GITHUB_PATH"
    fi
    local version
    version="$(importguard --version)"
    version="${version##* }"
    echo "importguard $version"
    [ -z "${GITHUB_OUTPUT:-}" ] || echo "version=$version" >>"$GITHUB_OUTPUT"
}

check() {
    cd "${GITHUB_WORKSPACE:-.}"
    local args src status=0 code=0
    # Split on whitespace, never globbed: `src: "pkg tests"` is two paths.
    read -r -a args <<<"${INPUT_ARGS:-check}"
    read -r -a src <<<"${INPUT_SRC:-.}"
    importguard "${args[@]}" --output-format github "${src[@]}" || status=$?
    # The facts cache and the run memo make the runs below cheap.
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
        local report lines limit="${IMPORTGUARD_SUMMARY_LINES:-5000}"
        report="$(importguard "${args[@]}" --output-format text --color never "${src[@]}" 2>&1)" || true
        lines="$(wc -l <<<"$report")"
        {
            echo "## importguard"
            echo
            echo '````text'
            sed -n "1,${limit}p" <<<"$report"
            echo '````'
            # A step summary holds at most 1 MiB.
            [ "$lines" -le "$limit" ] || printf '\n%s of %s lines shown\n' "$limit" "$lines"
        } >>"$GITHUB_STEP_SUMMARY"
    fi
    if [ -n "${INPUT_SARIF_FILE:-}" ]; then
        mkdir -p "$(dirname "$INPUT_SARIF_FILE")"
        importguard "${args[@]}" --output-format sarif --output "$INPUT_SARIF_FILE" "${src[@]}" || code=$?
        [ "$code" -le 1 ] || [ "$status" -gt 1 ] || status=$code
    fi
    return "$status"
}

case "${1:-}" in
    install) install ;;
    check) check ;;
    *) echo "usage: $0 install|check" >&2; exit 2 ;;
esac
