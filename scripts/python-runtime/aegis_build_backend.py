"""PEP 517 build backend: setuptools, with a standard-library fallback.

setuptools builds the wheel whenever it can (setuptools >= 70.1, or the wheel package installed).
Older setuptools without wheel (e.g. the one ensurepip puts in a venv) cannot build wheels, and
Python >= 3.12 venvs have no setuptools at all; there this module zips the pure-Python package
itself, so that pip install --no-build-isolation --no-index works offline.
"""

import base64
import hashlib
import os
import zipfile

NAME = "aegis_client"
# The module name of the earlier Aegis documents (from aegis_python_client import AegisClient).
ALIAS = "aegis_python_client"
DIST = "aegis_client"
PROJECT = "aegis-client"
VERSION = "0.0.0"
SUMMARY = "Python client for the API (standard library only)"
HERE = os.path.dirname(os.path.abspath(__file__))


def _setuptools():
    try:
        from setuptools import build_meta
    except ImportError:
        return None
    try:
        from setuptools.command.bdist_wheel import bdist_wheel  # noqa: F401  (setuptools >= 70.1)
    except ImportError:
        try:
            from wheel.bdist_wheel import bdist_wheel  # noqa: F401,F811
        except ImportError:
            return None
    return build_meta


def _metadata():
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return (
        "Metadata-Version: 2.1\n"
        "Name: %s\n"
        "Version: %s\n"
        "Summary: %s\n"
        "License: MIT\n"
        "Requires-Python: >=3.9\n"
        "Classifier: Programming Language :: Python :: 3\n"
        "Classifier: Typing :: Typed\n"
        "Description-Content-Type: text/markdown\n"
        "\n%s" % (PROJECT, VERSION, SUMMARY, readme)
    )


def _dist_info_files():
    return {
        "METADATA": _metadata(),
        "WHEEL": "Wheel-Version: 1.0\nGenerator: aegis_build_backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        "top_level.txt": NAME + "\n",
    }


def _write_wheel(wheel_directory, files):
    dist_info = "%s-%s.dist-info" % (DIST, VERSION)
    wheel_name = "%s-%s-py3-none-any.whl" % (DIST, VERSION)
    records = []
    entries = sorted(files.items()) + sorted(("%s/%s" % (dist_info, k), v.encode("utf-8")) for k, v in _dist_info_files().items())
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, data in entries:
            if isinstance(data, str):
                data = data.encode("utf-8")
            zf.writestr(zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0)), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
            records.append("%s,sha256=%s,%d" % (arcname, digest, len(data)))
        records.append("%s/RECORD,," % dist_info)
        zf.writestr(zipfile.ZipInfo("%s/RECORD" % dist_info, date_time=(1980, 1, 1, 0, 0, 0)), "\n".join(records) + "\n")
    return wheel_name


def _package_files():
    files = {}
    for package in (NAME, ALIAS):
        root = os.path.join(HERE, package)
        for name in sorted(os.listdir(root)):
            if name.endswith(".py") or name == "py.typed":
                with open(os.path.join(root, name), "rb") as f:
                    files["%s/%s" % (package, name)] = f.read()
    return files


def _prepare_metadata(metadata_directory):
    dist_info = "%s-%s.dist-info" % (DIST, VERSION)
    os.makedirs(os.path.join(metadata_directory, dist_info), exist_ok=True)
    for name, text in _dist_info_files().items():
        with open(os.path.join(metadata_directory, dist_info, name), "w", encoding="utf-8") as f:
            f.write(text)
    return dist_info


def get_requires_for_build_wheel(config_settings=None):
    backend = _setuptools()
    return backend.get_requires_for_build_wheel(config_settings) if backend else []


def get_requires_for_build_sdist(config_settings=None):
    backend = _setuptools()
    return backend.get_requires_for_build_sdist(config_settings) if backend else []


def get_requires_for_build_editable(config_settings=None):
    backend = _setuptools()
    return backend.get_requires_for_build_editable(config_settings) if backend else []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    backend = _setuptools()
    if backend:
        return backend.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
    return _prepare_metadata(metadata_directory)


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    backend = _setuptools()
    if backend:
        return backend.prepare_metadata_for_build_editable(metadata_directory, config_settings)
    return _prepare_metadata(metadata_directory)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    backend = _setuptools()
    if backend:
        return backend.build_wheel(wheel_directory, config_settings, metadata_directory)
    return _write_wheel(wheel_directory, _package_files())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    backend = _setuptools()
    if backend:
        return backend.build_editable(wheel_directory, config_settings, metadata_directory)
    return _write_wheel(wheel_directory, {"__editable__.%s.pth" % DIST: HERE + "\n"})


def build_sdist(sdist_directory, config_settings=None):
    from setuptools import build_meta

    return build_meta.build_sdist(sdist_directory, config_settings)
