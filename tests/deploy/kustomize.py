"""A small, offline renderer for the subset of Kustomize that deploy/k8s uses.

Supported kustomization fields: `resources` (files and directories), `namespace`, `labels`
(`includeSelectors: false`, optional `includeTemplates`), `patches` (strategic-merge patches from a
`path` or inline `patch`, with or without a `target`) and `images` (`newName`, `newTag`, `digest`).
Anything else raises `Unsupported`, so a manifest never silently relies on a feature this renderer
ignores. When the `kustomize` or `kubectl` binary is on the machine, tests/deploy compares this
renderer's output with the real one.

Strategic merge: maps merge recursively, `null` deletes a key, and the lists Kubernetes merges by
key (containers and volumes by `name`, volume mounts by `mountPath`, container ports by
`containerPort`, ...) merge item by item; every other list, and every list of a custom resource,
is replaced, as Kustomize does.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

Obj = dict[str, Any]

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
SUPPORTED_FIELDS = {"apiVersion", "kind", "namespace", "labels", "resources", "patches", "images"}

# Kinds that have no namespace.
CLUSTER_SCOPED = {
    "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
    "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService",
}

# patchMergeKey of the Kubernetes lists that a strategic-merge patch merges item by item, by the
# field's name (the same field name has the same merge key wherever it occurs in core types).
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "topologySpreadConstraints": "topologyKey",
    "conditions": "type",
}
# Service ports merge by `port`, container ports by `containerPort`.
PORT_KEYS = ("containerPort", "port")

# Where pod templates live, for `labels.includeTemplates`.
TEMPLATE_PATHS = {
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
}


class Unsupported(ValueError):
    """The kustomization uses a feature this renderer does not implement."""


def group_of(obj: Obj) -> str:
    api_version = str(obj.get("apiVersion", ""))
    return api_version.split("/")[0] if "/" in api_version else ""


def is_builtin(obj: Obj) -> bool:
    """A Kubernetes type (core or a k8s.io group), whose lists merge by key."""
    group = group_of(obj)
    return group == "" or "." not in group or group.endswith(".k8s.io")


def load_documents(path: Path) -> list[Obj]:
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


def _kustomization_file(directory: Path) -> Path:
    for name in KUSTOMIZATION_FILES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no kustomization file in {directory}")


def render(directory: Path | str) -> list[Obj]:
    """The objects `kustomize build <directory>` would produce (in resource order)."""
    directory = Path(directory)
    kfile = _kustomization_file(directory)
    (kustomization,) = load_documents(kfile)
    unknown = set(kustomization) - SUPPORTED_FIELDS
    if unknown:
        raise Unsupported(f"{kfile}: unsupported fields {sorted(unknown)}")
    if kustomization.get("kind", "Kustomization") != "Kustomization":
        raise Unsupported(f"{kfile}: kind {kustomization.get('kind')!r}")

    objects: list[Obj] = []
    for entry in kustomization.get("resources", []):
        target = (directory / entry).resolve()
        if target.is_dir():
            objects.extend(render(target))
        elif target.is_file():
            objects.extend(load_documents(target))
        else:
            raise FileNotFoundError(f"{kfile}: resource {entry!r} not found")
    _check_unique(objects, kfile)

    for patch_entry in kustomization.get("patches", []):
        _apply_patch_entry(objects, patch_entry, directory, kfile)
    if "namespace" in kustomization:
        for obj in objects:
            if obj.get("kind") not in CLUSTER_SCOPED:
                obj.setdefault("metadata", {})["namespace"] = kustomization["namespace"]
    for label_entry in kustomization.get("labels", []):
        _apply_labels(objects, label_entry, kfile)
    for image in kustomization.get("images", []):
        _apply_image(objects, image)
    return objects


def _identity(obj: Obj) -> tuple[str, str, str, str]:
    meta = obj.get("metadata") or {}
    return (group_of(obj), str(obj.get("kind")), str(meta.get("namespace", "")),
            str(meta.get("name")))


def _check_unique(objects: list[Obj], where: Path) -> None:
    seen: set[tuple[str, str, str, str]] = set()
    for obj in objects:
        key = _identity(obj)
        if key in seen:
            raise ValueError(f"{where}: {key} defined twice")
        seen.add(key)


# -- patches -------------------------------------------------------------------------------------

def _apply_patch_entry(objects: list[Obj], entry: Obj, directory: Path, kfile: Path) -> None:
    unknown = set(entry) - {"path", "patch", "target"}
    if unknown:
        raise Unsupported(f"{kfile}: patch fields {sorted(unknown)}")
    if "path" in entry:
        patches = load_documents(directory / entry["path"])
    else:
        patches = [doc for doc in yaml.safe_load_all(entry["patch"]) if doc]
    for patch in patches:
        if isinstance(patch, list):
            raise Unsupported(f"{kfile}: JSON 6902 patches are not supported")
        if "target" in entry:
            matches = [obj for obj in objects if _matches_target(obj, entry["target"], kfile)]
        else:
            matches = [obj for obj in objects if _same_object(obj, patch)]
        if not matches:
            raise ValueError(f"{kfile}: patch {_identity(patch)} matches no resource")
        for obj in matches:
            merged = strategic_merge(obj, _without_identity(patch, obj), builtin=is_builtin(obj))
            obj.clear()
            obj.update(merged)


def _without_identity(patch: Obj, obj: Obj) -> Obj:
    """A targeted patch keeps the target's apiVersion, kind and name."""
    patch = copy.deepcopy(patch)
    patch["apiVersion"] = obj["apiVersion"]
    patch["kind"] = obj["kind"]
    meta = patch.setdefault("metadata", {})
    meta["name"] = obj["metadata"]["name"]
    if "namespace" in obj["metadata"]:
        meta["namespace"] = obj["metadata"]["namespace"]
    return patch


def _same_object(obj: Obj, patch: Obj) -> bool:
    meta, pmeta = obj.get("metadata") or {}, patch.get("metadata") or {}
    return (
        obj.get("kind") == patch.get("kind")
        and group_of(obj) == group_of(patch)
        and meta.get("name") == pmeta.get("name")
        and ("namespace" not in pmeta or meta.get("namespace") == pmeta["namespace"])
    )


def _matches_target(obj: Obj, target: Obj, kfile: Path) -> bool:
    unknown = set(target) - {"group", "version", "kind", "name", "namespace", "labelSelector"}
    if unknown:
        raise Unsupported(f"{kfile}: target fields {sorted(unknown)}")
    meta = obj.get("metadata") or {}
    api_version = str(obj.get("apiVersion", ""))
    version = api_version.split("/")[-1]
    checks = {
        "group": group_of(obj),
        "version": version,
        "kind": obj.get("kind"),
        "name": meta.get("name"),
        "namespace": meta.get("namespace", ""),
    }
    for field, actual in checks.items():
        if field in target and not re.fullmatch(str(target[field]), str(actual)):
            return False
    if "labelSelector" in target:
        labels = meta.get("labels") or {}
        for requirement in str(target["labelSelector"]).split(","):
            key, _, value = requirement.strip().partition("=")
            if "!" in key or " " in key:
                raise Unsupported(f"{kfile}: label selector {requirement!r}")
            if labels.get(key) != value:
                return False
    return True


def strategic_merge(base: Any, patch: Any, *, builtin: bool, field: str = "") -> Any:
    """`patch` merged into `base` (neither is changed)."""
    if isinstance(base, dict) and isinstance(patch, dict):
        if patch.get("$patch") == "replace":
            return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
        if patch.get("$patch") == "delete":
            return None
        merged = copy.deepcopy(base)
        for key, value in patch.items():
            if key.startswith("$"):
                raise Unsupported(f"directive {key!r}")
            if value is None:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = strategic_merge(merged[key], value, builtin=builtin, field=key)
            else:
                merged[key] = copy.deepcopy(value)
        return merged
    if isinstance(base, list) and isinstance(patch, list) and builtin:
        key = _merge_key(field, base, patch)
        if key is not None:
            return _merge_list(base, patch, key, builtin=builtin, field=field)
    return copy.deepcopy(patch)


def _merge_key(field: str, base: list[Any], patch: list[Any]) -> str | None:
    if field in MERGE_KEYS:
        return MERGE_KEYS[field]
    if field == "ports":
        for key in PORT_KEYS:
            if all(isinstance(i, dict) and key in i for i in [*base, *patch]):
                return key
    return None


def _merge_list(base: list[Any], patch: list[Any], key: str, *, builtin: bool,
                field: str) -> list[Any]:
    merged = copy.deepcopy(base)
    for item in patch:
        index = next((i for i, b in enumerate(merged) if b.get(key) == item.get(key)), None)
        if item.get("$patch") == "delete":
            if index is not None:
                del merged[index]
        elif index is None:
            merged.append(copy.deepcopy(item))
        else:
            merged[index] = strategic_merge(merged[index], item, builtin=builtin, field=field)
    return merged


# -- labels and images ---------------------------------------------------------------------------

def _apply_labels(objects: list[Obj], entry: Obj, kfile: Path) -> None:
    unknown = set(entry) - {"pairs", "includeSelectors", "includeTemplates"}
    if unknown or entry.get("includeSelectors"):
        raise Unsupported(f"{kfile}: labels with {sorted(unknown) or 'includeSelectors: true'}")
    pairs = {str(k): str(v) for k, v in (entry.get("pairs") or {}).items()}
    for obj in objects:
        obj.setdefault("metadata", {}).setdefault("labels", {}).update(pairs)
        if entry.get("includeTemplates") and obj.get("kind") in TEMPLATE_PATHS:
            node: Any = obj
            for step in TEMPLATE_PATHS[obj["kind"]]:
                node = node.setdefault(step, {})
            node.setdefault("metadata", {}).setdefault("labels", {}).update(pairs)


def split_image(image: str) -> tuple[str, str | None, str | None]:
    """`name[:tag][@digest]` -> (name, tag, digest); a registry port is not a tag."""
    name, _, digest = image.partition("@")
    tag = None
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = name.rsplit(":", 1)
    return name, tag, digest or None


def _apply_image(objects: list[Obj], image: Obj) -> None:
    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("containers", "initContainers") and isinstance(value, list):
                    for container in value:
                        _retag(container, image)
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    for obj in objects:
        visit(obj.get("spec"))


def _retag(container: Obj, image: Obj) -> None:
    if "image" not in container:
        return
    name, tag, digest = split_image(str(container["image"]))
    if name != image["name"]:
        return
    name = image.get("newName", name)
    if "digest" in image:
        container["image"] = f"{name}@{image['digest']}"
        return
    tag = str(image["newTag"]) if "newTag" in image else tag
    container["image"] = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
