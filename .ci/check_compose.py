"""Cross-checks of docker-compose.yml that its JSON schema cannot make (.ci/check-deploy.sh).

The compose-spec schema checks the shape of the file; without a Docker engine `docker compose
config` cannot run here, so this checks what it would also catch, plus two project rules:
- every depends_on target, named volume and secret a service uses is defined, and no service
  outside a profile depends on one inside it;
- every variable the file interpolates is documented in .env.example, and every variable of
  .env.example is used by the file (no drift between the two);
- every long-running service has a health check (one-shot services: restart "no").
Usage: python .ci/check_compose.py [docker-compose.yml] [.env.example]
"""

import re
import sys
from pathlib import Path
from typing import Any

import yaml

VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")


def problems(compose: dict[str, Any], text: str, env_example: str) -> list[str]:
    found: list[str] = []
    services: dict[str, Any] = compose.get("services", {})
    volumes = set(compose.get("volumes") or {})
    secrets = set(compose.get("secrets") or {})
    for name, service in services.items():
        profiles = set(service.get("profiles", []))
        depends = service.get("depends_on", {})
        for target in depends if isinstance(depends, list) else depends.keys():
            if target not in services:
                found.append(f"{name}: depends on unknown service {target}")
            elif not profiles and services[target].get("profiles"):
                found.append(f"{name}: depends on {target}, which only runs in a profile")
        for volume in service.get("volumes", []):
            if isinstance(volume, dict):  # long syntax
                source, is_named = str(volume.get("source", "")), volume.get("type") == "volume"
            else:  # short syntax: SOURCE:TARGET[:MODE], a path when it starts like one
                source = volume.split(":")[0]
                is_named = not source.startswith((".", "/", "~"))
            if is_named and source not in volumes:
                found.append(f"{name}: volume {source} is not declared under volumes")
        for secret in service.get("secrets", []):
            secret_name = secret if isinstance(secret, str) else secret.get("source")
            if secret_name not in secrets:
                found.append(f"{name}: secret {secret_name} is not declared under secrets")
        one_shot = service.get("restart", "no") == "no"
        healthcheck = service.get("healthcheck") or {}
        if not one_shot and (healthcheck.get("disable") or not healthcheck.get("test")):
            found.append(f"{name}: a long-running service without a health check")
    for spec in (compose.get("secrets") or {}).values():
        if "environment" in spec:
            text += f"\n${{{spec['environment']}}}"  # a secret read from a variable uses it too
    used = set(VARIABLE.findall(text))
    documented = set(re.findall(r"^([A-Za-z_][A-Za-z0-9_]*)=", env_example, re.MULTILINE))
    found += [f"${{{v}}} is used but not in .env.example" for v in sorted(used - documented)]
    found += [f"{v} is in .env.example but unused" for v in sorted(documented - used)]
    return found


def main(argv: list[str]) -> int:
    compose_path = Path(argv[0] if argv else "docker-compose.yml")
    env_path = Path(argv[1] if len(argv) > 1 else ".env.example")
    text = compose_path.read_text()
    found = problems(yaml.safe_load(text), text, env_path.read_text())
    for problem in found:
        print(f"{compose_path}: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
