import pytest

import libconf


def test_one_class_per_error_code():
    names = [n for n in libconf.Errc.__members__ if n != "ok"]
    assert len(names) == 24
    for name in names:
        cls = libconf.ERRORS[name]
        camel = "".join(part.capitalize() for part in name.split("_"))
        assert cls is getattr(libconf, camel)
        assert issubclass(cls, libconf.LibconfError)
        assert cls.__name__ == camel
        assert cls is libconf.error_class(libconf.Errc.__members__[name])


def test_thrown_error_arrives_as_matching_class_with_message():
    with pytest.raises(libconf.UnknownCodec, match="G729") as info:
        libconf.create_codec("G729")
    assert info.value.code == libconf.Errc.unknown_codec


def test_result_error_is_raised_as_matching_class():
    mixer = libconf.Mixer(sample_rate_hz=8000, max_legs=1)
    mixer.add_leg()
    with pytest.raises(libconf.CapacityExceeded):
        mixer.add_leg()
    with pytest.raises(libconf.NotFound):
        mixer.remove_leg(7)
    with pytest.raises(libconf.NotFound):
        mixer.input(7)
    codec = libconf.create_codec("PCMU")
    with pytest.raises(libconf.MalformedPacket):
        codec.decode(b"")


def test_range_errors_are_value_errors():
    with pytest.raises(libconf.UnsupportedSampleRate) as info:
        libconf.Resampler(8000, 11025)
    assert "11025" in str(info.value)
    assert isinstance(info.value, ValueError)
    with pytest.raises(libconf.UnsupportedFrameSize):
        libconf.create_codec("PCMU", ptime_ms=25)


def test_parse_error_names_the_field(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"rooms": [{"name": "r"}], "participants": [{"name": "a", "codec": "G729"}]}')
    with pytest.raises(libconf.LibconfError, match="G729"):
        libconf.load_scenario(str(bad))
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json")
    with pytest.raises(libconf.ParseError, match="broken.json"):
        libconf.load_scenario(str(broken))


def test_wrong_dtype_is_a_type_error():
    import numpy as np

    with pytest.raises(TypeError, match="int16"):
        libconf.rms_dbfs(np.zeros(10, dtype=np.float32))
