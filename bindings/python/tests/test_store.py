import pytest

import libconf

HOUR_MS = 3_600_000
T0 = 1_900_000_000_000  # a Unix time in ms


def open_store(tmp_path):
    return libconf.SqliteStore(str(tmp_path / "conf.db"), full_sync=False, fast_pin_hash=True)


def test_records_persist_across_reopen(tmp_path):
    store = open_store(tmp_path)
    store.add_tenant(libconf.TenantRecord("acme", libconf.TenantQuota(max_participants=20, max_rooms=2)))
    cfg = libconf.RoomConfig("sales", topic="weekly", max_members=12)
    cfg_hash = libconf.hash_pin("4711", fast=True)
    store.add_room(libconf.RoomRecord("acme", cfg))
    store.put_did(libconf.DidRecord("+4930123", "acme", libconf.DidTarget.room, "sales"))
    store.put_group(libconf.GroupRecord("acme", "team", ["+491", "+492", "sip:bob@example.org"]))
    store.put_moderator(libconf.ModeratorRecord("acme", "mia", "+4930999", cfg_hash))
    with pytest.raises(libconf.AlreadyExists):
        store.add_tenant(libconf.TenantRecord("acme"))
    with pytest.raises(libconf.NotFound):
        store.room("acme", "nope")
    del store

    store = open_store(tmp_path)
    assert store.tenant("acme").quota.max_participants == 20
    room = store.room("acme", "sales")
    assert room.config.topic == "weekly" and room.config.max_members == 12
    did = store.did("+4930123")
    assert did.target == libconf.DidTarget.room and did.room == "sales"
    assert store.group("acme", "team").members == ["+491", "+492", "sip:bob@example.org"]
    assert libconf.verify_pin(store.moderator("acme", "mia").pin_hash, "4711")


def test_booking_checks_capacity(tmp_path):
    store = open_store(tmp_path)
    store.add_tenant(libconf.TenantRecord("acme", libconf.TenantQuota(max_participants=10, max_rooms=5)))
    store.put_did(libconf.DidRecord("+49800", "acme", libconf.DidTarget.menu, billing=libconf.BillingMode.initiator_pays))
    ok = store.book("acme", "board", T0, HOUR_MS, 6, libconf.BillingMode.initiator_pays)
    assert ok.dial_in == "+49800" and ok.room == f"booking-{ok.id}"
    assert len(ok.participant_pin) == 6 and len(ok.moderator_pin) == 8
    assert store.room("acme", ok.room).config.name == ok.room
    with pytest.raises(libconf.QuotaExceeded):
        store.book("acme", "overlap", T0 + HOUR_MS // 2, HOUR_MS, 5, libconf.BillingMode.initiator_pays)
    later = store.book("acme", "later", T0 + HOUR_MS, HOUR_MS, 5, libconf.BillingMode.initiator_pays)
    with pytest.raises(libconf.NotFound):
        store.book("acme", "x", T0, HOUR_MS, 1, libconf.BillingMode.caller_pays)  # no caller-pays DID
    assert [b.id for b in store.bookings("acme")] == [ok.id, later.id]
    store.cancel_booking("acme", ok.id)
    store.book("acme", "overlap", T0 + HOUR_MS // 2, HOUR_MS // 2, 5, libconf.BillingMode.initiator_pays)


def test_text_that_is_not_utf8_is_refused_before_it_is_stored(tmp_path):
    store = open_store(tmp_path)
    store.add_tenant(libconf.TenantRecord("acme"))
    cfg = libconf.RoomConfig("sales")
    cfg.topic = b"caf\xc3"  # bytes reach C++ unchanged: a truncated UTF-8 sequence
    with pytest.raises(libconf.InvalidArgument, match="UTF-8"):
        store.add_room(libconf.RoomRecord("acme", cfg))
    with pytest.raises(libconf.InvalidArgument, match="UTF-8"):
        store.put_group(libconf.GroupRecord("acme", "team", [b"+49\xff"]))
    with pytest.raises(libconf.InvalidArgument, match="UTF-8"):
        store.put_moderator(libconf.ModeratorRecord("acme", "mia", b"\xed\xa0\x80"))
    cfg.topic = "café"
    store.add_room(libconf.RoomRecord("acme", cfg, locked=True))
    assert store.room("acme", "sales").locked
    store.put_caller_name(libconf.CallerNameRecord("acme", "+4930", "Zoë"))
    assert store.caller_name("acme", "+4930").name == "Zoë"
    assert store.room("acme", "sales").config.topic == "café"
    assert [r.config.name for r in store.rooms("acme")] == ["sales"]  # nothing half-written


def test_each_role_has_its_own_pin():
    conf = libconf.Conference(fast_pin_hash=True)
    conf.create_tenant("acme")
    op = libconf.Actor("acme")
    conf.create_room(op, libconf.RoomConfig("sales"))
    conf.set_pin(op, "sales", libconf.PinKind.participant, "1234")
    with pytest.raises(libconf.AlreadyExists):
        conf.set_pin(op, "sales", libconf.PinKind.moderator, "1234")
    with pytest.raises(libconf.InvalidArgument, match="UTF-8"):
        conf.set_name(op, 1, b"\xff")
