"""deploy/observability: the Prometheus alert rules and the Grafana dashboard parse, and reference
only metrics (and labels) that the code exports, with a runbook for every alert."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from tests.deploy.support import (
    CONTRACT_METRICS,
    OBSERVABILITY,
    OPERATIONS_MD,
    SERVICES,
    aggregations,
    allowed_series,
    business_metric_families,
    exported_series,
    functions,
    markdown_anchors,
    parse_promql,
    platform_metric_families,
    selectors,
)

SEVERITIES = {"critical", "warning", "info"}
DURATION = re.compile(r"^(\d+(ms|s|m|h|d|w|y))+$")
# Functions PromQL knows (Prometheus 2.x/3.x); a misspelt one fails here even if a parser let it be.
PROMQL_FUNCTIONS = {
    "abs", "absent", "absent_over_time", "avg_over_time", "ceil", "changes", "clamp",
    "clamp_max", "clamp_min", "count_over_time", "day_of_month", "day_of_week", "days_in_month",
    "delta", "deriv", "exp", "floor", "histogram_quantile", "holt_winters", "hour", "idelta",
    "increase", "irate", "label_join", "label_replace", "last_over_time", "ln", "log2", "log10",
    "max_over_time", "min_over_time", "minute", "month", "predict_linear",
    "present_over_time", "quantile_over_time", "rate", "resets", "round", "scalar", "sgn",
    "sort", "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time", "sum_over_time",
    "time", "timestamp", "vector", "year",
}


def load_rules() -> list[dict[str, Any]]:
    document = yaml.safe_load((OBSERVABILITY / "alerts.yml").read_text())
    assert set(document) == {"groups"}
    rules = []
    names = set()
    for group in document["groups"]:
        assert set(group) <= {"name", "rules", "interval"}, group.get("name")
        assert group["name"] not in names
        names.add(group["name"])
        assert group["rules"], group["name"]
        rules.extend(group["rules"])
    return rules


RULES = load_rules()
DASHBOARD = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text())


def check_expression(expr: str, where: str, *, grafana: bool = False) -> set[str]:
    """Parses `expr`, checks its metrics, label matchers and functions; returns the metrics."""
    tree = parse_promql(expr, grafana=grafana)
    allowed = allowed_series()
    metrics = set()
    for selector in selectors(tree):
        assert selector.metric in allowed, f"{where}: {selector.metric} is not exported"
        metrics.add(selector.metric)
        for label, _, _ in selector.matchers:
            assert label in allowed[selector.metric], (
                f"{where}: {selector.metric} has no label {label!r}")
    unknown = functions(tree) - PROMQL_FUNCTIONS
    assert not unknown, f"{where}: unknown functions {unknown}"
    return metrics


def test_platform_metrics_are_found() -> None:
    """The metric inventory the checks below rely on is the real one (not empty or stale)."""
    series = exported_series()
    for name in ("http_requests_total", "http_request_duration_seconds_bucket",
                 "outbox_pending", "outbox_oldest_age_seconds",
                 "consumer_events_dead_lettered_total", "consumer_lag"):
        assert name in series, name
    assert series["http_requests_total"] == {"method", "route", "status"}
    assert series["consumer_lag"] == {"consumer"}
    assert len(platform_metric_families()) >= 10


# -- alert rules ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", RULES, ids=[r.get("alert", "?") for r in RULES])
def test_alert_rule_is_complete(rule: dict[str, Any]) -> None:
    assert set(rule) == {"alert", "expr", "for", "labels", "annotations"}
    assert re.fullmatch(r"Koshqon[A-Z][A-Za-z0-9]+", rule["alert"])
    assert DURATION.match(rule["for"]), rule["for"]
    assert rule["labels"]["severity"] in SEVERITIES
    annotations = rule["annotations"]
    assert set(annotations) == {"summary", "description", "runbook_url"}
    assert annotations["summary"].strip() and annotations["description"].strip()
    # Templates reference labels the expression keeps.
    check_expression(rule["expr"], rule["alert"])


@pytest.mark.parametrize("rule", RULES, ids=[r.get("alert", "?") for r in RULES])
def test_alert_templates_use_labels_the_expression_keeps(rule: dict[str, Any]) -> None:
    tree = parse_promql(rule["expr"])
    kept: set[str] = set()
    groups = aggregations(tree)
    if groups:
        for _, labels in groups:
            kept |= labels
    else:
        for selector in selectors(tree):
            kept |= allowed_series()[selector.metric]
    for text in rule["annotations"].values():
        for label in re.findall(r"\$labels\.(\w+)", text):
            assert label in kept, f"{rule['alert']}: {label} is aggregated away"


@pytest.mark.parametrize("rule", RULES, ids=[r.get("alert", "?") for r in RULES])
def test_alert_has_a_runbook_in_operations_md(rule: dict[str, Any]) -> None:
    url = rule["annotations"]["runbook_url"]
    path, _, anchor = url.partition("#")
    assert path == "docs/operations.md"
    assert anchor == rule["alert"].lower()
    assert anchor in markdown_anchors(OPERATIONS_MD), f"no section '### {rule['alert']}'"


def test_alert_names_are_unique() -> None:
    names = [r["alert"] for r in RULES]
    assert len(names) == len(set(names))


def test_alerts_cover_the_operational_signals() -> None:
    """The issue's list: outbox age, consumer lag per consumer, DLT growth, 5xx rate, readiness,
    deadline breaches."""
    by_metric: dict[str, list[dict[str, Any]]] = {}
    for rule in RULES:
        for metric in check_expression(rule["expr"], rule["alert"]):
            by_metric.setdefault(metric, []).append(rule)
    assert by_metric["outbox_oldest_age_seconds"]
    lag_rules = by_metric["consumer_lag"]
    assert any("consumer" in labels for r in lag_rules
               for _, labels in aggregations(parse_promql(r["expr"])))
    dlt_rules = by_metric["consumer_events_dead_lettered_total"]
    assert any("increase" in functions(parse_promql(r["expr"])) for r in dlt_rules)
    error_rules = [r for r in by_metric["http_requests_total"]
                   if any(s.metric == "http_requests_total"
                          and ("status", "MatchOp.Re", "5..") in s.matchers
                          for s in selectors(parse_promql(r["expr"])))]
    assert error_rules
    assert by_metric["kube_deployment_status_replicas_unavailable"]  # readiness
    assert by_metric["up"]
    assert by_metric["deadline_breaches_total"]
    severities = {r["labels"]["severity"] for r in RULES}
    assert {"critical", "warning"} <= severities


def test_per_database_gauges_are_never_summed_over_replicas() -> None:
    """Every replica reports its database's outbox: summing would multiply by the replicas."""
    for expr in [r["expr"] for r in RULES] + [t["expr"] for t in dashboard_targets()]:
        tree = parse_promql(expr, grafana=True)
        metrics = {s.metric for s in selectors(tree)}
        if metrics & {"outbox_pending", "outbox_oldest_age_seconds"}:
            assert all(op != "sum" for op, _ in aggregations(tree)), expr


def test_parser_rejects_broken_expressions() -> None:
    with pytest.raises(ValueError, match="unclosed"):
        parse_promql("sum(rate(http_requests_total[5m])")
    with pytest.raises(AssertionError):
        check_expression("rate(http_request_total[5m])", "typo")
    with pytest.raises(AssertionError):
        check_expression('rate(http_requests_total{code=~"5.."}[5m])', "wrong label")


# -- business metrics contract -------------------------------------------------------------------

def test_contract_metrics_are_documented() -> None:
    text = OPERATIONS_MD.read_text()
    assert "business-metrics" in markdown_anchors(OPERATIONS_MD)
    for name, labels in CONTRACT_METRICS.items():
        assert f"`{name}`" in text
        for label in labels:
            assert f"`{label}`" in text, f"label {label} of {name} is not documented"


def test_contract_metrics_are_registered_by_a_service() -> None:
    registered = {f.name.removesuffix("_total") for f in business_metric_families()}
    for name, labels in CONTRACT_METRICS.items():
        assert name.removesuffix("_total") in registered, name
        family = next(f for f in business_metric_families()
                      if f.name.removesuffix("_total") == name.removesuffix("_total"))
        assert family.type == "counter" and family.labels == labels


# -- Grafana dashboard ---------------------------------------------------------------------------

def all_panels() -> list[dict[str, Any]]:
    panels = []
    for panel in DASHBOARD["panels"]:
        panels.append(panel)
        panels.extend(panel.get("panels", []))
    return panels


def dashboard_targets() -> list[dict[str, Any]]:
    return [t for p in all_panels() for t in p.get("targets", [])]


def test_dashboard_structure() -> None:
    assert DASHBOARD["uid"] and DASHBOARD["title"]
    assert DASHBOARD["schemaVersion"] >= 36
    ids = [p["id"] for p in all_panels()]
    assert len(ids) == len(set(ids))
    variables = {v["name"] for v in DASHBOARD["templating"]["list"]}
    assert {"datasource", "job"} <= variables
    for panel in all_panels():
        grid = panel["gridPos"]
        assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 24 and grid["h"] > 0
        if panel["type"] == "row":
            continue
        assert panel["title"] and panel["targets"]
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        refs = [t["refId"] for t in panel["targets"]]
        assert len(refs) == len(set(refs))
        for target in panel["targets"]:
            for variable in re.findall(r"\$(\w+)", target["expr"]):
                assert variable in variables or variable.startswith("__"), variable


def test_dashboard_panels_do_not_overlap() -> None:
    cells: dict[tuple[int, int], str] = {}
    for panel in all_panels():
        grid = panel["gridPos"]
        for x in range(grid["x"], grid["x"] + grid["w"]):
            for y in range(grid["y"], grid["y"] + grid["h"]):
                assert (x, y) not in cells, f"{panel['title']} overlaps {cells[(x, y)]}"
                cells[(x, y)] = panel["title"]


@pytest.mark.parametrize("panel", [p for p in all_panels() if p["type"] != "row"],
                         ids=lambda p: p["title"])
def test_dashboard_panel_queries_use_exported_metrics(panel: dict[str, Any]) -> None:
    for target in panel["targets"]:
        check_expression(target["expr"], panel["title"], grafana=True)
        tree = parse_promql(target["expr"], grafana=True)
        grouped = set().union(*(labels for _, labels in aggregations(tree))) if aggregations(
            tree) else None
        for label in re.findall(r"\{\{\s*(\w+)\s*\}\}", target.get("legendFormat", "")):
            if grouped is not None:
                assert label in grouped, f"{panel['title']}: legend {label} is aggregated away"


def test_dashboard_shows_the_platform_metrics() -> None:
    used: set[str] = set()
    quantiles = []
    for target in dashboard_targets():
        tree = parse_promql(target["expr"], grafana=True)
        used |= {s.metric for s in selectors(tree)}
        if "histogram_quantile" in functions(tree):
            quantiles.append(target["expr"])
    assert {"http_requests_total", "http_request_duration_seconds_bucket", "outbox_pending",
            "outbox_oldest_age_seconds", "consumer_lag",
            "consumer_events_dead_lettered_total"} <= used
    assert any(expr.startswith("histogram_quantile(0.95") for expr in quantiles)


def test_prometheus_config_loads_the_rules_and_names_jobs_after_services() -> None:
    config = yaml.safe_load((OBSERVABILITY / "prometheus.yml").read_text())
    assert config["rule_files"] == ["alerts.yml"]
    jobs = {c["job_name"]: c for c in config["scrape_configs"]}
    relabels = jobs["koshqon-kubernetes"]["relabel_configs"]
    assert any(r.get("target_label") == "job"
               and r["source_labels"] == ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
               for r in relabels)
    static = jobs["koshqon-local"]["static_configs"]
    assert {s["labels"]["job"]: s["targets"] for s in static} == {
        name: [f"127.0.0.1:{port}"] for name, port in SERVICES.items()}
