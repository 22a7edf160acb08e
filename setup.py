"""Package list for setuptools: pyproject's packages.find cannot see the top-level maps/ and
resources/ folders that [tool.setuptools.package-dir] maps into the package, so they (and
their data-only subfolders) are listed here; package-data in pyproject says which files go."""
from setuptools import find_namespace_packages, setup

SHIPPED = {"pcn_desktop._maps": "maps", "pcn_desktop._resources": "resources"}

packages = find_namespace_packages(include=["pcn_desktop", "pcn_desktop.*"])
for package, folder in SHIPPED.items():
    packages += [package] + [f"{package}.{sub}" for sub in find_namespace_packages(folder)]

setup(packages=packages)
