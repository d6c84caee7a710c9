"""The model registry from the command line.

python -m parlure_ml.register.registry bootstrap     # register the shipped champion if none
python -m parlure_ml.register.registry list
python -m parlure_ml.register.registry promote 3     # roll forward or back to version 3
python -m parlure_ml.register.registry shipped-again # the shipped model as a new version
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from parlure_ml.register import tracking
from parlure_ml.register.artifact import SHIPPED_DIR, ModelCard


def bootstrap() -> str:
    """Give a fresh registry the shipped champion as its first version, with the alias.

    Idempotent: does nothing once a champion exists.
    """
    mlflow_client = tracking.client()
    current = tracking.champion(mlflow_client)
    if current is not None:
        return f"champion is version {current.version}; nothing to do"
    card = ModelCard.read(SHIPPED_DIR)
    version = _register_shipped(mlflow_client, f"shipped-{card.version}")
    mlflow_client.set_model_version_tag(tracking.MODEL_NAME, version, "gate", "shipped")
    tracking.promote(mlflow_client, version)
    return f"registered the shipped champion {card.version} as version {version} (champion)"


def shipped_again() -> str:
    """Register the shipped model once more, as a new version without the alias: a challenger
    that answers like the champion, to try the shadow (its agreement is then 100 %)."""
    mlflow_client = tracking.client()
    card = ModelCard.read(SHIPPED_DIR)
    version = _register_shipped(mlflow_client, f"shipped-again-{card.version}")
    mlflow_client.set_model_version_tag(tracking.MODEL_NAME, version, "gate", "challenger")
    return f"registered the shipped model {card.version} again as version {version}"


def _register_shipped(mlflow_client: Any, run_name: str) -> str:
    """A run with the shipped model's files and the figures its card records, registered."""
    import mlflow

    card = ModelCard.read(SHIPPED_DIR)
    mlflow.set_experiment(experiment_id=tracking.experiment_id(mlflow_client))
    with mlflow.start_run(run_name=run_name) as run:
        mlflow.set_tags({"mode": card.mode, "shipped": "true"})
        mlflow.log_params({"version": card.version, **_flat(card.data.get("params", {}))})
        for name, values in card.data.get("metrics", {}).items():
            mlflow.log_metric(f"{name}_macro_f1", values["macro_f1"])
            mlflow.log_metric(f"{name}_ece", values["ece"])
            for label, f1 in values["f1"].items():
                mlflow.log_metric(f"{name}_f1_{label}", f1)
        mlflow.log_artifacts(str(SHIPPED_DIR), tracking.ARTIFACT_PATH)
    return tracking.register(mlflow_client, run.info.run_id, {"version": card.version})


def versions() -> list[dict[str, Any]]:
    mlflow_client = tracking.client()
    current = tracking.champion(mlflow_client)
    found = mlflow_client.search_model_versions(f"name='{tracking.MODEL_NAME}'")
    return [
        {
            "version": v.version,
            "champion": current is not None and v.version == current.version,
            "model": v.tags.get("version", ""),
            "gate": v.tags.get("gate", ""),
            "reason": v.tags.get("gate_reason", ""),
            "run_id": v.run_id,
        }
        for v in sorted(found, key=lambda v: int(v.version))
    ]


def _flat(params: dict[str, Any]) -> dict[str, str]:
    return {key: str(value)[:500] for key, value in params.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("bootstrap", help="register the shipped champion if there is none")
    commands.add_parser("list", help="versions, their gate decision and the champion")
    promote = commands.add_parser("promote", help="move the champion alias to a version")
    promote.add_argument("version")
    commands.add_parser("shipped-again", help="register the shipped model as a new version")
    args = parser.parse_args(argv)
    if args.command == "bootstrap":
        print(bootstrap())
    elif args.command == "shipped-again":
        print(shipped_again())
    elif args.command == "list":
        for row in versions():
            print(json.dumps(row, ensure_ascii=False))
    else:
        tracking.promote(tracking.client(), args.version)
        print(f"version {args.version} is now the champion")
    return 0


if __name__ == "__main__":
    sys.exit(main())
