"""deploy/k8s: the overlays render, every object validates against the Kubernetes schemas (offline,
kubernetes-validate) or, for Strimzi's KafkaTopic, against tests/deploy/schemas, and the objects fit
together: probes, resources, security, PDB/HPA/Service per Deployment, selectors, migration Jobs,
network policies, topics."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from shared.settings import ServiceSettings
from tests.deploy.kustomize import render, split_image, strategic_merge
from tests.deploy.support import (
    K8S,
    KAFKA_CLUSTER,
    MAIN_TOPICS,
    NAMESPACE,
    OVERLAYS,
    PSEUDONYM_SERVICES,
    SERVICES,
    TOPICS,
    of_kind,
    rendered,
    selector_matches,
    topic_plan_of_file,
)

# The oldest Kubernetes minor the manifests support, and the newest schemas the package ships.
K8S_VERSIONS = ("1.29.0", kubernetes_validate.latest_version())
KAFKA_TOPIC_SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "kafkatopic-v1beta2.json").read_text()
)

overlay_param = pytest.mark.parametrize("overlay", OVERLAYS)
service_param = pytest.mark.parametrize("service", sorted(SERVICES))


def quantity(value: str | int | float) -> float:
    """A Kubernetes quantity (100m, 1, 1.5, 192Mi, 1Gi, 500M) as a number (cores or bytes)."""
    text = str(value)
    binary = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
    decimal = {"m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
    for suffix, factor in binary.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    for suffix, factor in decimal.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def deployment(objects: list[dict[str, Any]], service: str) -> dict[str, Any]:
    return of_kind(objects, "Deployment")[f"koshqon-{service}"]


def container_of(workload: dict[str, Any]) -> dict[str, Any]:
    (container,) = workload["spec"]["template"]["spec"]["containers"]
    return container


def pod_labels(workload: dict[str, Any]) -> dict[str, str]:
    return workload["spec"]["template"]["metadata"]["labels"]


# -- rendering and schemas -----------------------------------------------------------------------

@overlay_param
def test_overlay_renders_every_expected_object(overlay: str) -> None:
    objects = rendered(overlay)
    kinds: dict[str, int] = {}
    for obj in objects:
        kinds[obj["kind"]] = kinds.get(obj["kind"], 0) + 1
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == NAMESPACE, obj["metadata"]["name"]
        assert obj["metadata"]["labels"]["app.kubernetes.io/part-of"] == "koshqon"
        assert obj["metadata"]["labels"]["koshqon.kz/overlay"] == overlay
    per_service = ("ConfigMap", "Deployment", "Service", "PodDisruptionBudget",
                   "HorizontalPodAutoscaler", "Job", "NetworkPolicy")
    assert kinds == {
        "Namespace": 1, **{kind: len(SERVICES) for kind in per_service},
        "KafkaTopic": 2 * len(MAIN_TOPICS),
    }
    # Secrets are never rendered: they are created out of band (secrets.example.yaml).
    assert not of_kind(objects, "Secret")


def test_base_and_overlays_build_with_kustomize_when_installed() -> None:
    """Our renderer produces exactly what `kustomize build` (or `kubectl kustomize`) does."""
    if shutil.which("kustomize"):
        command = ["kustomize", "build"]
    elif shutil.which("kubectl"):
        command = ["kubectl", "kustomize"]
    else:
        pytest.skip("neither kustomize nor kubectl is installed: nothing to compare with")

    def key(obj: dict[str, Any]) -> tuple[str, str, str, str]:
        meta = obj["metadata"]
        return obj["apiVersion"], obj["kind"], meta.get("namespace", ""), meta["name"]

    for directory in [K8S / "base", *(K8S / "overlays" / o for o in OVERLAYS)]:
        result = subprocess.run([*command, str(directory)], capture_output=True, text=True,
                                timeout=120, check=False, env={**os.environ, "HOME": "/tmp"})
        assert result.returncode == 0, result.stderr
        theirs = {key(o): o for o in yaml.safe_load_all(result.stdout) if o}
        ours = {key(o): o for o in render(directory)}
        assert ours.keys() == theirs.keys(), directory
        for k, obj in ours.items():
            assert obj == theirs[k], (directory, k)


@overlay_param
def test_every_builtin_object_validates_against_the_kubernetes_schema(overlay: str) -> None:
    for obj in rendered(overlay):
        if obj["kind"] == "KafkaTopic":
            continue
        for version in K8S_VERSIONS:
            # strict: an unknown field (a typo such as `livenesProbe`) is an error
            kubernetes_validate.validate(obj, version, strict=True)


@overlay_param
def test_every_kafka_topic_validates_against_the_strimzi_schema(overlay: str) -> None:
    for topic in of_kind(rendered(overlay), "KafkaTopic").values():
        jsonschema.validate(topic, KAFKA_TOPIC_SCHEMA)


def test_the_validators_reject_broken_objects() -> None:
    """The checks above would fail on a typo: they are not vacuous."""
    objects = rendered("small")
    broken = deployment(objects, "registration")
    container_of(broken)["livenessProbe"]["httpGet"]["pathh"] = "/health/live"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSIONS[-1], strict=True)
    topic = next(iter(of_kind(objects, "KafkaTopic").values()))
    topic["spec"]["config"]["retention.msec"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(topic, KAFKA_TOPIC_SCHEMA)


def test_secrets_example_validates_and_is_in_no_kustomization() -> None:
    secrets = list(yaml.safe_load_all((K8S / "secrets.example.yaml").read_text()))
    for secret in secrets:
        kubernetes_validate.validate(secret, K8S_VERSIONS[-1], strict=True)
    for kustomization in K8S.rglob("kustomization.yaml"):
        assert "secrets.example" not in kustomization.read_text()


def test_renderer_merges_lists_by_key_and_replaces_custom_resource_lists() -> None:
    base = {"spec": {"containers": [{"name": "a", "image": "x", "env": [{"name": "A"}]},
                                    {"name": "b", "image": "y"}],
                     "args": ["1", "2"]}}
    patch = {"spec": {"containers": [{"name": "b", "image": "z"}], "args": ["3"]}}
    merged = strategic_merge(base, patch, builtin=True)
    assert merged["spec"]["containers"] == [
        {"name": "a", "image": "x", "env": [{"name": "A"}]}, {"name": "b", "image": "z"}]
    assert merged["spec"]["args"] == ["3"]
    assert strategic_merge({"l": [{"name": "a"}]}, {"l": [{"name": "b"}]}, builtin=False) == {
        "l": [{"name": "b"}]}
    assert strategic_merge({"a": 1, "b": 2}, {"b": None}, builtin=True) == {"a": 1}
    assert split_image("registry:5000/koshqon/permits:1.2@sha256:ab") == (
        "registry:5000/koshqon/permits", "1.2", "sha256:ab")


# -- Deployments ---------------------------------------------------------------------------------

@overlay_param
@service_param
def test_deployment_runs_the_service_image_and_command(overlay: str, service: str) -> None:
    container = container_of(deployment(rendered(overlay), service))
    name, tag, _ = split_image(container["image"])
    assert name == f"koshqon/{service}" and tag
    assert container["command"] == ["koshqon", "serve", service]
    (port,) = container["ports"]
    assert port == {"name": "http", "containerPort": SERVICES[service], "protocol": "TCP"}


@overlay_param
@service_param
def test_deployment_probes_use_the_health_endpoints(overlay: str, service: str) -> None:
    container = container_of(deployment(rendered(overlay), service))
    port_names = {p["name"] for p in container["ports"]}
    expected = {"startupProbe": "/health/live", "livenessProbe": "/health/live",
                "readinessProbe": "/health/ready"}
    for probe, path in expected.items():
        http = container[probe]["httpGet"]
        assert http["path"] == path, probe
        assert http["port"] in port_names or http["port"] == SERVICES[service], probe
    # /health/ready runs its checks with a 3 s timeout each (shared/health.py): database, broker.
    assert container["readinessProbe"]["timeoutSeconds"] >= 7
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 60


@overlay_param
@service_param
def test_deployment_resources_fit_a_150_mb_python_service(overlay: str, service: str) -> None:
    resources = container_of(deployment(rendered(overlay), service))["resources"]
    for kind in ("cpu", "memory"):
        assert kind in resources["requests"] and kind in resources["limits"], kind
        assert quantity(resources["requests"][kind]) <= quantity(resources["limits"][kind]), kind
    assert quantity(resources["requests"]["memory"]) >= 150 * 2**20
    assert quantity(resources["limits"]["memory"]) >= 2 * 150 * 2**20
    assert quantity(resources["limits"]["memory"]) <= 2**30


@overlay_param
def test_pods_are_non_root_with_a_read_only_root_and_a_tmp_volume(overlay: str) -> None:
    """Every Koshqon pod (Deployments and Jobs) meets the "restricted" Pod Security Standard."""
    objects = rendered(overlay)
    workloads = [*of_kind(objects, "Deployment").values(), *of_kind(objects, "Job").values()]
    for workload in workloads:
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == 10001  # the Dockerfiles' user
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        assert pod["automountServiceAccountToken"] is False
        assert not pod.get("hostNetwork") and not pod.get("hostPID") and not pod.get("hostIPC")
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert all(set(v) - {"name"} <= {"emptyDir", "configMap", "secret", "projected"}
                   for v in volumes.values())
        for container in pod["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True
            assert security["allowPrivilegeEscalation"] is False
            assert security["capabilities"]["drop"] == ["ALL"]
            assert "add" not in security["capabilities"]
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert "emptyDir" in volumes[mounts["/tmp"]], workload["metadata"]["name"]


@overlay_param
@service_param
def test_configuration_comes_from_a_configmap_and_secrets(
    overlay: str, service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    objects = rendered(overlay)
    container = container_of(deployment(objects, service))
    sources = [next(iter(s.items())) for s in container["envFrom"]]
    assert sources == [("configMapRef", {"name": f"koshqon-{service}"}),
                       ("secretRef", {"name": f"koshqon-{service}"})]
    config = of_kind(objects, "ConfigMap")[f"koshqon-{service}"]["data"]
    prefix = f"KOSHQON_{service.upper()}_"
    fields = set(ServiceSettings.model_fields)
    for key in config:
        assert key == "KOSHQON_DATA_DIR" or (
            key.startswith(prefix) and key.removeprefix(prefix).lower() in fields
        ), f"{key} is not a setting of shared/settings.py"
    assert config[f"{prefix}RUN_MIGRATIONS"] == "false"

    # The settings the service would read: ConfigMap, example Secret and the explicit env.
    secrets = {s["metadata"]["name"]: s["stringData"]
               for s in yaml.safe_load_all((K8S / "secrets.example.yaml").read_text())}
    for key in list(os.environ):
        if key.startswith("KOSHQON_"):
            monkeypatch.delenv(key)
    for key, value in {**config, **secrets[f"koshqon-{service}"]}.items():
        monkeypatch.setenv(key, value)
    for item in container.get("env", []):
        ref = item["valueFrom"]["secretKeyRef"]
        monkeypatch.setenv(item["name"], secrets[ref["name"]][ref["key"]])
    settings = ServiceSettings.for_service(service)
    assert settings.bus == "kafka"
    assert settings.run_migrations is False
    assert settings.host == "0.0.0.0"
    assert settings.port == container["ports"][0]["containerPort"]
    assert settings.database_url.startswith("postgresql+asyncpg://")
    assert settings.database_url.endswith(f"/koshqon_{service}")
    assert settings.auth_required is True
    assert f"{KAFKA_CLUSTER}-kafka-bootstrap" in settings.kafka_bootstrap


@overlay_param
@service_param
def test_only_services_that_derive_person_ids_get_the_shared_pseudonym_key(
    overlay: str, service: str
) -> None:
    objects = rendered(overlay)
    container = container_of(deployment(objects, service))
    env = {e["name"]: e for e in container.get("env", [])}
    key = f"KOSHQON_{service.upper()}_PSEUDONYM_KEY"
    if service in PSEUDONYM_SERVICES:
        assert env[key]["valueFrom"]["secretKeyRef"] == {"name": "koshqon-pseudonym",
                                                         "key": "pseudonym-key"}
    else:
        assert key not in env
    job = of_kind(objects, "Job")[f"koshqon-{service}-migrate"]
    assert "env" not in container_of(job), "migrations need no pseudonym key"


def test_every_secret_a_pod_reads_is_described_in_the_example() -> None:
    example = {s["metadata"]["name"]: set(s["stringData"])
               for s in yaml.safe_load_all((K8S / "secrets.example.yaml").read_text())}
    for overlay in OVERLAYS:
        objects = rendered(overlay)
        for workload in [*of_kind(objects, "Deployment").values(),
                         *of_kind(objects, "Job").values()]:
            container = container_of(workload)
            for source in container["envFrom"]:
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in example
            for item in container.get("env", []):
                ref = item.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["key"] in example[ref["name"]]
    for service in SERVICES:
        up = service.upper()
        assert example[f"koshqon-{service}"] == {f"KOSHQON_{up}_DATABASE_URL",
                                                 f"KOSHQON_{up}_DEV_TOKEN_SECRET"}


# -- companions of each Deployment ---------------------------------------------------------------

@overlay_param
@service_param
def test_deployment_selector_matches_its_pods_and_not_the_migration_job(
    overlay: str, service: str
) -> None:
    objects = rendered(overlay)
    workload = deployment(objects, service)
    selector = workload["spec"]["selector"]
    assert selector_matches(selector, pod_labels(workload))
    job = of_kind(objects, "Job")[f"koshqon-{service}-migrate"]
    assert not selector_matches(selector, pod_labels(job))
    others = [d for d in of_kind(objects, "Deployment").values() if d is not workload]
    assert not any(selector_matches(selector, pod_labels(d)) for d in others)


@overlay_param
@service_param
def test_every_deployment_has_a_service(overlay: str, service: str) -> None:
    objects = rendered(overlay)
    workload = deployment(objects, service)
    svc = of_kind(objects, "Service")[f"koshqon-{service}"]
    assert selector_matches({"matchLabels": svc["spec"]["selector"]}, pod_labels(workload))
    job = of_kind(objects, "Job")[f"koshqon-{service}-migrate"]
    assert not selector_matches({"matchLabels": svc["spec"]["selector"]}, pod_labels(job))
    port_names = {p["name"] for p in container_of(workload)["ports"]}
    for port in svc["spec"]["ports"]:
        assert port["targetPort"] in port_names
        assert port["port"] == SERVICES[service]
    annotations = workload["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/port"] == str(SERVICES[service])
    assert annotations["prometheus.io/path"] == "/metrics"


@overlay_param
@service_param
def test_every_deployment_has_a_pdb(overlay: str, service: str) -> None:
    objects = rendered(overlay)
    workload = deployment(objects, service)
    pdb = of_kind(objects, "PodDisruptionBudget")[f"koshqon-{service}"]
    assert selector_matches(pdb["spec"]["selector"], pod_labels(workload))
    # A node drain must be able to proceed even with one replica.
    assert pdb["spec"].get("maxUnavailable", 0) >= 1 or (
        pdb["spec"]["minAvailable"] < workload["spec"]["replicas"])


@overlay_param
@service_param
def test_every_deployment_has_a_cpu_hpa(overlay: str, service: str) -> None:
    objects = rendered(overlay)
    workload = deployment(objects, service)
    hpa = of_kind(objects, "HorizontalPodAutoscaler")[f"koshqon-{service}"]
    spec = hpa["spec"]
    assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                      "name": workload["metadata"]["name"]}
    assert 1 <= spec["minReplicas"] <= spec["maxReplicas"]
    assert workload["spec"]["replicas"] == spec["minReplicas"]
    (metric,) = spec["metrics"]
    assert metric["type"] == "Resource" and metric["resource"]["name"] == "cpu"
    assert 0 < metric["resource"]["target"]["averageUtilization"] <= 90
    # CPU utilization is relative to the request: it must exist.
    assert "cpu" in container_of(workload)["resources"]["requests"]


def test_overlays_differ_in_scale_as_documented() -> None:
    small, large = rendered("small"), rendered("large")
    for service in SERVICES:
        small_hpa = of_kind(small, "HorizontalPodAutoscaler")[f"koshqon-{service}"]["spec"]
        large_hpa = of_kind(large, "HorizontalPodAutoscaler")[f"koshqon-{service}"]["spec"]
        assert deployment(small, service)["spec"]["replicas"] == 1
        assert deployment(large, service)["spec"]["replicas"] >= 3
        assert large_hpa["minReplicas"] >= 3
        assert large_hpa["maxReplicas"] > small_hpa["maxReplicas"]
        small_memory = container_of(deployment(small, service))["resources"]["limits"]["memory"]
        large_memory = container_of(deployment(large, service))["resources"]["limits"]["memory"]
        assert quantity(large_memory) > quantity(small_memory)


@overlay_param
@service_param
def test_autoscaling_stays_within_the_partitions_a_service_consumes(
    overlay: str, service: str
) -> None:
    """A consumer replica beyond the partition count gets no partition: the HPA's ceiling is the
    partition count of the busiest topic the service reads (its own topics feed its webhook
    consumer; statistics reads every service's topics)."""
    objects = rendered(overlay)
    partitions = {t["spec"]["topicName"]: t["spec"]["partitions"]
                  for t in of_kind(objects, "KafkaTopic").values()}
    consumed = ([f"koshqon.{service}.{t}" for t in TOPICS[service]] if service in TOPICS
                else MAIN_TOPICS)
    ceiling = max(partitions[t] for t in consumed)
    hpa = of_kind(objects, "HorizontalPodAutoscaler")[f"koshqon-{service}"]
    assert hpa["spec"]["maxReplicas"] <= ceiling


# -- migrations ----------------------------------------------------------------------------------

@overlay_param
@service_param
def test_every_service_has_a_migration_job(overlay: str, service: str) -> None:
    objects = rendered(overlay)
    job = of_kind(objects, "Job")[f"koshqon-{service}-migrate"]
    container = container_of(job)
    served = container_of(deployment(objects, service))
    assert container["command"] == ["koshqon", "migrate", service]
    assert container["image"] == served["image"], "migrate with the image that will be rolled out"
    assert container["envFrom"] == served["envFrom"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert job["spec"]["backoffLimit"] >= 1
    assert job["metadata"]["labels"]["app.kubernetes.io/component"] == "migration"
    assert pod_labels(job)["app.kubernetes.io/component"] == "migration"
    # Applied first with `-l app.kubernetes.io/component=migration`: only the Jobs match.
    selected = [o for o in objects
                if o["metadata"]["labels"].get("app.kubernetes.io/component") == "migration"]
    assert {o["kind"] for o in selected} == {"Job"}


# -- network policies ----------------------------------------------------------------------------

def egress_allows(policy: dict[str, Any], labels: dict[str, str], port: int,
                  namespace_labels: dict[str, str] | None = None) -> bool:
    """Whether the policy lets its pods open a TCP connection to a pod with `labels` (in the
    policy's own namespace unless `namespace_labels` is given) on `port`."""
    own_namespace = namespace_labels is None
    namespace_labels = namespace_labels or {"kubernetes.io/metadata.name": NAMESPACE}
    for rule in policy["spec"].get("egress", []):
        ports = rule.get("ports")
        if ports and not any(p.get("port") == port and p.get("protocol", "TCP") == "TCP"
                             for p in ports):
            continue
        peers = rule.get("to")
        if not peers:
            return True
        for peer in peers:
            if "ipBlock" in peer:
                continue  # pod addresses are private: the ipBlocks exclude them
            if "namespaceSelector" in peer:
                if not selector_matches(peer["namespaceSelector"], namespace_labels):
                    continue
            elif not own_namespace:
                continue
            if selector_matches(peer.get("podSelector"), labels):
                return True
    return False


@overlay_param
@service_param
def test_network_policy_isolates_each_service(overlay: str, service: str) -> None:
    objects = rendered(overlay)
    policy = of_kind(objects, "NetworkPolicy")[f"koshqon-{service}"]
    spec = policy["spec"]
    assert set(spec["policyTypes"]) == {"Ingress", "Egress"}
    # It covers the API pods and the migration Job's pods.
    assert selector_matches(spec["podSelector"], pod_labels(deployment(objects, service)))
    assert selector_matches(spec["podSelector"],
                            pod_labels(of_kind(objects, "Job")[f"koshqon-{service}-migrate"]))
    # HTTP in, on the service's port only.
    ingress_ports = {p["port"] for rule in spec["ingress"] for p in rule["ports"]}
    assert ingress_ports == {SERVICES[service]}
    # Its own database, and no other service's.
    assert egress_allows(policy, {"koshqon.kz/database": service}, 5432)
    for other in SERVICES:
        if other != service:
            assert not egress_allows(policy, {"koshqon.kz/database": other}, 5432), other
    assert not egress_allows(policy, {"app.kubernetes.io/name": "postgresql"}, 5432)
    # Kafka (Strimzi broker pods) and DNS.
    broker = {"strimzi.io/cluster": KAFKA_CLUSTER, "strimzi.io/kind": "Kafka",
              "strimzi.io/name": f"{KAFKA_CLUSTER}-kafka"}
    assert egress_allows(policy, broker, 9092)
    assert egress_allows(policy, {"k8s-app": "kube-dns"}, 53,
                         {"kubernetes.io/metadata.name": "kube-system"})
    # Not the other services' pods.
    for other in SERVICES:
        if other != service:
            labels = pod_labels(deployment(objects, other))
            assert not egress_allows(policy, labels, SERVICES[other]), other
    # HTTPS out only to public addresses (webhooks, the identity provider's JWKS).
    for rule in spec["egress"]:
        for peer in rule.get("to", []):
            if "ipBlock" in peer:
                assert {p["port"] for p in rule["ports"]} == {443}
                assert {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                        "169.254.0.0/16"} <= set(peer["ipBlock"]["except"])


# -- Kafka topics --------------------------------------------------------------------------------

@overlay_param
def test_every_topic_and_its_dead_letter_topic_exist(overlay: str) -> None:
    topics = {t["spec"]["topicName"]: t for t in of_kind(rendered(overlay), "KafkaTopic").values()}
    assert set(topics) == {*MAIN_TOPICS, *(f"{t}.dlt" for t in MAIN_TOPICS)}
    assert set(MAIN_TOPICS) == set(topic_plan_of_file()), "deploy/kafka/topics.txt disagrees"
    for name, topic in topics.items():
        assert topic["metadata"]["name"] == name
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == KAFKA_CLUSTER
        config = topic["spec"]["config"]
        assert config["min.insync.replicas"] <= topic["spec"]["replicas"]
        if name.endswith(".dlt"):
            # long enough to notice (alert) and drain
            assert config["retention.ms"] >= 7 * 24 * 3600 * 1000
        else:
            # replays and the statistics rebuild read from the earliest offset
            assert config["retention.ms"] == -1


def test_topic_partitions_and_replication_per_overlay() -> None:
    small = {t["spec"]["topicName"]: t["spec"] for t in of_kind(rendered("small"),
                                                                 "KafkaTopic").values()}
    large = {t["spec"]["topicName"]: t["spec"] for t in of_kind(rendered("large"),
                                                                 "KafkaTopic").values()}
    assert {t: small[t]["partitions"] for t in MAIN_TOPICS} == topic_plan_of_file()
    for name in small:
        assert large[name]["partitions"] >= small[name]["partitions"]
        assert small[name]["replicas"] == 1
        assert large[name]["replicas"] == 3
        # acks=all with two in sync: a write survives the loss of one broker
        assert large[name]["config"]["min.insync.replicas"] == 2
    assert max(large[t]["partitions"] for t in MAIN_TOPICS) > 3


@overlay_param
def test_fallback_topic_settings_match_the_topics(overlay: str) -> None:
    """If a service must create a missing topic itself, it uses the overlay's replication."""
    objects = rendered(overlay)
    replicas = {t["spec"]["replicas"] for t in of_kind(objects, "KafkaTopic").values()}
    for service in SERVICES:
        config = of_kind(objects, "ConfigMap")[f"koshqon-{service}"]["data"]
        assert {int(config[f"KOSHQON_{service.upper()}_KAFKA_REPLICATION_FACTOR"])} == replicas
