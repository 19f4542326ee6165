"""The launch recipes in deploy/, checked offline.

The cluster launcher file goes through Ray's own config preparation and schema
validation, with the network cut off; the KubeRay RayJob is checked for the
fields KubeRay requires. Both must run the command's real options on the Ray
version that pyproject.toml pins, with Ray's token authentication on.
"""

from __future__ import annotations

import copy
import re
import shlex
import socket
import tomllib
from pathlib import Path

import jsonschema
import pytest
import ray
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version
from ray.autoscaler._private.util import prepare_config, validate_config

from raycourse.cli import build_parser

ROOT = Path(__file__).parents[2]
CLUSTER_FILE = ROOT / "deploy" / "aws-cluster.yaml"
RAYJOB_FILE = ROOT / "deploy" / "rayjob.yaml"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
IMAGE = re.compile(r"rayproject/ray:(?P<ray>\d+\.\d+\.\d+)-py(?P<major>3)(?P<minor>\d+)(-cpu)?")
COMMAND = "python -m raycourse"


def pinned_ray() -> SpecifierSet:
    """The versions of Ray that pyproject.toml allows."""
    for dependency in PYPROJECT["project"]["dependencies"]:
        requirement = Requirement(dependency)
        if requirement.name == "ray":
            return requirement.specifier
    raise AssertionError("pyproject.toml does not depend on ray")


def check_image(image: str, ray_version: str) -> None:
    """Assert that ``image`` is Ray's image of ``ray_version``, on a Python the project supports."""
    match = IMAGE.fullmatch(image)
    assert match, f"not a rayproject/ray image with a version and Python tag: {image!r}"
    assert match["ray"] == ray_version, image
    python = f"{match['major']}.{match['minor']}"
    assert Version(python) in SpecifierSet(PYPROJECT["project"]["requires-python"]), image


def check_command(command: str):
    """Parse a recipe's command with the command's own parser; return the options."""
    assert command.startswith(f"{COMMAND} "), command
    return build_parser().parse_args(shlex.split(command.removeprefix(COMMAND)))


def commented_command(path: Path) -> str:
    """The ``python -m raycourse ...`` command in a file's comments, continuation lines joined."""
    text = re.sub(r"\\\n#\s*", " ", path.read_text())
    found = re.findall(rf"^#.*?({re.escape(COMMAND)} [^\n]*)$", text, flags=re.MULTILINE)
    assert len(found) == 1, found
    return found[0].strip()


@pytest.fixture
def no_network(monkeypatch):
    """Make any attempt to reach the network fail loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(scope="module")
def cluster_config() -> dict:
    return yaml.safe_load(CLUSTER_FILE.read_text())


@pytest.fixture(scope="module")
def rayjob() -> dict:
    return yaml.safe_load(RAYJOB_FILE.read_text())


def validate(config: dict) -> dict:
    """Prepare and validate a cluster launcher config as ``ray up`` does, before any cloud call."""
    prepared = prepare_config(copy.deepcopy(config))
    validate_config(prepared)
    return prepared


def test_both_images_are_the_pinned_ray():
    assert Version(ray.__version__) in pinned_ray()


# The cluster launcher file.


def test_ray_validates_the_cluster_file_offline(cluster_config, no_network):
    prepared = validate(cluster_config)
    assert prepared["provider"]["type"] == "aws"
    assert prepared["head_node_type"] in prepared["available_node_types"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: c.update(max_workers="four"),
        lambda c: c.update(head_node_type="ray.head.missing"),
        lambda c: c["available_node_types"]["ray.worker.default"].update(min_workers=9),
        lambda c: c.update(setup_command=["pip install raycourse"]),
        lambda c: c["docker"].update(pull_before_run="yes"),
    ],
    ids=["bad-type", "unknown-head-type", "min-over-max", "unknown-field", "docker-field"],
)
def test_the_validator_rejects_a_damaged_copy(cluster_config, no_network, damage):
    # The check has teeth: each of these is a mistake a person could make.
    broken = copy.deepcopy(cluster_config)
    damage(broken)
    with pytest.raises((jsonschema.ValidationError, ValueError)):
        validate(broken)


def test_cluster_image_is_the_pinned_ray(cluster_config):
    check_image(cluster_config["docker"]["image"], ray.__version__)
    for node_type in cluster_config["available_node_types"].values():
        for key in ("head_image", "worker_image"):
            if key in node_type.get("docker", {}):
                check_image(node_type["docker"][key], ray.__version__)


def test_cluster_nodes_start_with_token_authentication(cluster_config):
    starts = cluster_config["head_start_ray_commands"] + cluster_config["worker_start_ray_commands"]
    ray_starts = [command for command in starts if "ray start" in command]
    assert len(ray_starts) == 2
    assert all("RAY_AUTH_MODE=token ray start" in command for command in ray_starts)
    # The token every node presents is the one on the machine that runs `ray up`.
    assert cluster_config["file_mounts"]["~/.ray/auth_token"] == "~/.ray/auth_token"
    assert "--dashboard-host" not in " ".join(starts), "keep the dashboard off public interfaces"


def test_cluster_nodes_install_this_package(cluster_config):
    mounted = {remote for remote, local in cluster_config["file_mounts"].items() if local == "."}
    assert len(mounted) == 1
    installs = [command.split() for command in cluster_config["setup_commands"]]
    assert any(words[:2] == ["pip", "install"] and mounted.pop() in words for words in installs)


def test_cluster_file_runs_the_command(cluster_config):
    args = check_command(commented_command(CLUSTER_FILE))
    assert args.darts >= 1 and args.tasks <= args.darts


# The KubeRay RayJob.


def test_rayjob_has_the_fields_kuberay_requires(rayjob):
    assert rayjob["apiVersion"] == "ray.io/v1" and rayjob["kind"] == "RayJob"
    assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", rayjob["metadata"]["name"])
    spec = rayjob["spec"]
    assert spec["entrypoint"].strip()
    cluster = spec["rayClusterSpec"]
    head = cluster["headGroupSpec"]
    assert isinstance(head["rayStartParams"], dict)
    assert head["template"]["spec"]["containers"]
    assert cluster["workerGroupSpecs"]
    for group in cluster["workerGroupSpecs"]:
        assert group["groupName"] and isinstance(group["rayStartParams"], dict)
        assert group["template"]["spec"]["containers"]
        assert group["minReplicas"] <= group["replicas"] <= group["maxReplicas"]
    # Every value of rayStartParams must be a string in KubeRay's schema.
    groups = [head, *cluster["workerGroupSpecs"]]
    for params in (group["rayStartParams"] for group in groups):
        assert all(isinstance(value, str) for value in params.values()), params


def test_rayjob_runs_the_pinned_ray(rayjob):
    cluster = rayjob["spec"]["rayClusterSpec"]
    assert cluster["rayVersion"] == ray.__version__
    groups = [cluster["headGroupSpec"], *cluster["workerGroupSpecs"]]
    images = [c["image"] for g in groups for c in g["template"]["spec"]["containers"]]
    assert len(images) == len(groups)
    for image in images:
        check_image(image, cluster["rayVersion"])


def test_rayjob_turns_token_authentication_on(rayjob):
    assert rayjob["spec"]["rayClusterSpec"]["authOptions"] == {"mode": "token"}


def test_rayjob_ships_the_package_in_its_runtime_env(rayjob):
    runtime_env = yaml.safe_load(rayjob["spec"]["runtimeEnvYAML"])
    requirements = [Requirement(line) for line in runtime_env["pip"]]
    ours = [r for r in requirements if r.name == "raycourse"]
    assert len(ours) == 1 and ours[0].url.startswith("https://")
    # Ray passes env_vars on only when every value is a string.
    assert all(isinstance(value, str) for value in runtime_env.get("env_vars", {}).values())


def test_rayjob_runs_the_command(rayjob):
    args = check_command(rayjob["spec"]["entrypoint"])
    assert args.darts >= 1 and args.tasks <= args.darts
    assert args.address is None, "a Ray Job's driver finds its cluster in RAY_ADDRESS"


def test_both_recipes_run_the_same_command(rayjob):
    launcher = check_command(commented_command(CLUSTER_FILE))
    assert check_command(rayjob["spec"]["entrypoint"]) == launcher
