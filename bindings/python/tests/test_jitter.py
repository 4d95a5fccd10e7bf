import numpy as np

import libconf
from signals import sine, tone_level_dbfs


def test_reorders_and_conceals_through_a_codec():
    codec = libconf.create_codec("PCMU")
    x = sine(440, -20, 8000, 8000 * 2)
    payloads = codec.encode_frames(x)
    jb = libconf.JitterBuffer(clock_rate_hz=8000, frame_duration_ts=160)
    order = list(range(len(payloads)))
    for i in range(10, len(order) - 1, 10):  # swap pairs: reordering
        order[i], order[i + 1] = order[i + 1], order[i]
    lost = {25, 60}
    out = []
    decoder = libconf.create_codec("PCMU")
    for tick in range(len(payloads) + 10):
        now = tick * 20000
        if tick < len(order):
            seq = order[tick]
            if seq not in lost:
                jb.put(payloads[seq], sequence=seq, rtp_timestamp=seq * 160, arrival_us=now)
        kind, payload, ts = jb.get(now)
        if kind == libconf.FrameKind.AUDIO:
            out.append(decoder.decode(payload))
        elif kind == libconf.FrameKind.CONCEAL:
            out.append(decoder.conceal())
        elif kind == libconf.FrameKind.FEC:
            out.append(decoder.decode_fec(payload))
    stats = jb.stats
    assert stats.received == len(payloads) - len(lost)
    assert stats.reordered >= 5
    assert stats.lost >= len(lost)
    y = np.concatenate(out)
    assert tone_level_dbfs(y, 440, 8000) > -21.5
