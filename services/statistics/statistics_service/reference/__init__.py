"""Official reference series taken from the source documents, each value with its source.

The data is ``series.yaml``; the documents it quotes are in ``sources/``. See
``docs/reference-series.md``.
"""

from statistics_service.reference.catalog import (
    Qualifier,
    Quality,
    QualityFlag,
    ReferenceCatalog,
    ReferenceCatalogError,
    ReferenceSeries,
    ReferenceValue,
    ValueSource,
    load_reference_catalog,
)

__all__ = [
    "Qualifier",
    "Quality",
    "QualityFlag",
    "ReferenceCatalog",
    "ReferenceCatalogError",
    "ReferenceSeries",
    "ReferenceValue",
    "ValueSource",
    "load_reference_catalog",
]
