"""The type stubs and docstrings: complete, current, and explaining units."""

import ast
import os
import pathlib
import subprocess
import sys

import libconf

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_checked_in_stub_matches_the_module(tmp_path):
    out = tmp_path / "_libconf.pyi"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(pathlib.Path(libconf.__file__).parents[1])
    subprocess.run([sys.executable, str(ROOT / "tools" / "gen_stubs.py"), str(out)], check=True, env=env, timeout=60)
    checked_in = (ROOT / "libconf" / "_libconf.pyi").read_text()
    assert out.read_text() == checked_in, (
        "libconf/_libconf.pyi is stale: regenerate it with bindings/python/tools/gen_stubs.py")


def test_stub_declares_every_public_name():
    tree = ast.parse((ROOT / "libconf" / "_libconf.pyi").read_text())
    declared = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            declared.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            declared.add(node.target.id)
    public = {n for n in dir(libconf._libconf) if not n.startswith("_")}
    assert public <= declared, public - declared


def test_docstrings_carry_units():
    assert "dBFS" in libconf.rms_dbfs.__doc__
    assert "Hz" in libconf.Resampler.__init__.__doc__
    assert "ms" in libconf.DtmfGenerator.__init__.__doc__
    assert "view" in libconf.Mixer.input.__doc__
    assert "GIL" in libconf.run_scenario.__doc__
    assert libconf.UnknownCodec.__doc__.startswith("libconf::errc::unknown_codec")


def test_stub_returns_name_what_containers_hold():
    text = (ROOT / "libconf" / "_libconf.pyi").read_text()
    import re
    bare = re.findall(r"-> (?:list|tuple|dict)\b(?!\[)|: (?:list|tuple|dict)$", text, flags=re.M)
    assert bare == [], bare


def test_every_class_and_data_attribute_has_a_docstring():
    undocumented = []
    for name in dir(libconf._libconf):
        cls = getattr(libconf._libconf, name)
        if not isinstance(cls, type) or name.startswith("_") or issubclass(cls, BaseException):
            continue
        if not (cls.__doc__ or "").strip():
            undocumented.append(name)
        for attr, value in vars(cls).items():
            if isinstance(value, property) and value.fset is not None and not (value.__doc__ or "").strip():
                undocumented.append(name + "." + attr)
    assert undocumented == [], undocumented
