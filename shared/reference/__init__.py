"""Reference data files shipped with the shared library (a package so that they are installed)."""
