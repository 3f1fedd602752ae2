"""What the deployment tests share: the rendered overlays, the topic list, the metrics the code
exports, PromQL helpers and Markdown anchors."""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import promql_parser

from tests.deploy.kustomize import Obj, render

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
OBSERVABILITY = REPO / "deploy" / "observability"
OPERATIONS_MD = REPO / "docs" / "operations.md"

OVERLAYS = ("small", "large")
SERVICES = {"registration": 8001, "permits": 8002, "diaspora": 8003, "statistics": 8004}
# Services that derive pseudonymous person ids (and so need the shared pseudonym key).
PSEUDONYM_SERVICES = {"registration", "permits", "diaspora"}
NAMESPACE = "koshqon"
KAFKA_CLUSTER = "koshqon"

# The topics of the issue "Operating and scaling Koshqon"; deploy/kafka/topics.txt must agree.
TOPICS = {
    "registration": ["arrivals", "invitations", "evisa", "stays", "departures",
                     "residence-permits"],
    "permits": ["quotas", "work-permits", "labour-immigrant-permits"],
    "diaspora": ["kandas", "centres", "resettlement", "registry"],
}
MAIN_TOPICS = [f"koshqon.{service}.{name}" for service, names in TOPICS.items() for name in names]


@cache
def _rendered(overlay: str) -> tuple[Obj, ...]:
    return tuple(render(K8S / "overlays" / overlay))


def rendered(overlay: str) -> list[Obj]:
    """The objects of an overlay (a fresh copy: tests may not change each other's view)."""
    return copy.deepcopy(list(_rendered(overlay)))


def of_kind(objects: list[Obj], kind: str) -> dict[str, Obj]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def selector_matches(selector: dict[str, Any] | None, labels: dict[str, str]) -> bool:
    """A Kubernetes label selector (matchLabels and matchExpressions) against labels.

    An empty selector matches everything, as in a NetworkPolicy peer or a PDB.
    """
    selector = selector or {}
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, op, values = expression["key"], expression["operator"], expression.get("values", [])
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def topic_plan_of_file() -> dict[str, int]:
    """deploy/kafka/topics.txt: topic -> partitions."""
    plan = {}
    for line in (REPO / "deploy" / "kafka" / "topics.txt").read_text().splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2:
            plan[words[0]] = int(words[1])
    return plan


# -- metrics -------------------------------------------------------------------------------------

# Labels a scrape adds to every series (deploy/observability/prometheus.yml).
TARGET_LABELS = {"job", "instance", "namespace", "pod"}

# Series that do not come from Koshqon's code, and where they come from.
EXTERNAL_METRICS: dict[str, set[str]] = {
    "up": set(),  # Prometheus, per scrape target
    "kube_deployment_status_replicas_unavailable": {"deployment"},  # kube-state-metrics
    "kube_job_status_failed": {"job_name", "reason"},  # kube-state-metrics
}

# Business counters that the services publish by contract (docs/operations.md#business-metrics),
# with their labels. The test suite checks that the contract is documented, and (xfail until it
# is true) that a service registers it.
CONTRACT_METRICS: dict[str, set[str]] = {
    "deadline_breaches_total": {"deadline", "region"},
}


@dataclass
class MetricFamily:
    name: str
    type: str
    labels: set[str] = field(default_factory=set)
    source: str = ""

    def series(self) -> dict[str, set[str]]:
        """The sample names this family exposes, each with its labels."""
        if self.type == "counter":
            base = self.name.removesuffix("_total")
            return {f"{base}_total": self.labels, f"{base}_created": self.labels}
        if self.type in ("histogram", "summary"):
            extra = {"le"} if self.type == "histogram" else {"quantile"}
            names = {f"{self.name}_sum": self.labels, f"{self.name}_count": self.labels,
                     f"{self.name}_created": self.labels}
            if self.type == "histogram":
                names[f"{self.name}_bucket"] = self.labels | extra
            else:
                names[self.name] = self.labels | extra
            return names
        return {self.name: self.labels}


@cache
def platform_metric_families() -> tuple[MetricFamily, ...]:
    """Every metric of shared/metrics.py, from a real ServiceMetrics object."""
    from prometheus_client.metrics import MetricWrapperBase

    from shared.metrics import ServiceMetrics

    metrics = ServiceMetrics("probe")
    families = []
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            families.append(MetricFamily(
                name=value._name, type=value._type, labels=set(value._labelnames),
                source="shared/metrics.py",
            ))
    return tuple(families)


@cache
def business_metric_families() -> tuple[MetricFamily, ...]:
    """Business metrics the services register: `<metrics>.counter("name", "doc", [labels])` and
    prometheus_client constructors, found in the services' source (not their tests)."""
    constructors = {"Counter": "counter", "Gauge": "gauge", "Histogram": "histogram",
                    "Summary": "summary", "counter": "counter"}
    families = []
    for path in sorted((REPO / "services").rglob("*.py")):
        if "tests" in path.relative_to(REPO).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if name not in constructors or not isinstance(first, ast.Constant):
                continue
            if not isinstance(first.value, str) or not re.fullmatch(r"[a-z_:][a-z0-9_:]*",
                                                                     first.value):
                continue
            labels: set[str] = set()
            label_arg = node.args[2] if len(node.args) > 2 else next(
                (k.value for k in node.keywords if k.arg in ("labelnames", "labels")), None)
            if isinstance(label_arg, ast.List | ast.Tuple):
                labels = {e.value for e in label_arg.elts if isinstance(e, ast.Constant)}
            families.append(MetricFamily(name=first.value, type=constructors[name],
                                         labels=labels, source=str(path.relative_to(REPO))))
    return tuple(families)


def exported_series() -> dict[str, set[str]]:
    """Sample name -> labels, for every series Koshqon's code exports."""
    series: dict[str, set[str]] = {}
    for family in (*platform_metric_families(), *business_metric_families()):
        for name, labels in family.series().items():
            series.setdefault(name, set()).update(labels)
    return series


def allowed_series() -> dict[str, set[str]]:
    """What a rule or panel may reference: exported, contract and external series, with labels
    (target labels included)."""
    allowed = {name: labels | TARGET_LABELS for name, labels in exported_series().items()}
    for name, labels in {**CONTRACT_METRICS, **EXTERNAL_METRICS}.items():
        allowed.setdefault(name, set()).update(labels | TARGET_LABELS)
    return allowed


# -- PromQL --------------------------------------------------------------------------------------

GRAFANA_VARIABLES = {
    "$__rate_interval": "5m", "$__interval": "1m", "$__range": "6h",
}


def parse_promql(expr: str, *, grafana: bool = False) -> Any:
    if grafana:
        for variable, value in GRAFANA_VARIABLES.items():
            expr = expr.replace(variable, value)
    return promql_parser.parse(expr)


@dataclass
class Selector:
    metric: str
    matchers: list[tuple[str, str, str]]


def selectors(ast_root: Any) -> list[Selector]:
    """Every vector selector of an expression (matrix selectors included)."""
    found: list[Selector] = []

    def visit(node: Any) -> None:
        vector = None
        if isinstance(node, promql_parser.VectorSelector):
            vector = node
        elif isinstance(node, promql_parser.MatrixSelector):
            vector = node.vector_selector
        if vector is not None:
            matchers = [(m.name, str(m.op), m.value) for m in vector.matchers.matchers]
            name = vector.name or next((v for n, _, v in matchers if n == "__name__"), "")
            found.append(Selector(name, [m for m in matchers if m[0] != "__name__"]))

    promql_parser.walk(ast_root, pre_visit=visit)
    return found


def aggregations(ast_root: Any) -> list[tuple[str, set[str]]]:
    """Every aggregation of an expression: (operator, its `by` labels; empty for `without`)."""
    found: list[tuple[str, set[str]]] = []

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.AggregateExpr):
            labels: set[str] = set()
            modifier = node.modifier
            if modifier is not None and "By" in str(modifier.type):
                labels = set(modifier.labels)
            found.append((str(node.op), labels))

    promql_parser.walk(ast_root, pre_visit=visit)
    return found


def functions(ast_root: Any) -> set[str]:
    found: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.Call):
            found.add(node.func.name)

    promql_parser.walk(ast_root, pre_visit=visit)
    return found


# -- Markdown ------------------------------------------------------------------------------------

def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def markdown_anchors(path: Path) -> set[str]:
    anchors: set[str] = set()
    counts: dict[str, int] = {}
    in_fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        match = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if match and not in_fence:
            slug = github_slug(match.group(2))
            n = counts.get(slug, 0)
            anchors.add(slug if n == 0 else f"{slug}-{n}")
            counts[slug] = n + 1
    return anchors
