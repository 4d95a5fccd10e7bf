import pytest

import libconf


def make_conference():
    conf = libconf.Conference(fast_pin_hash=True)
    conf.create_tenant("acme", libconf.TenantQuota(max_participants=10, max_rooms=3), now_ms=0)
    op = libconf.Actor("acme", libconf.Role.superuser)
    conf.create_room(op, libconf.RoomConfig("review", topic="Q3", max_members=3), now_ms=0)
    conf.set_pin(op, "review", libconf.PinKind.participant, "4711", now_ms=0)
    conf.set_pin(op, "review", libconf.PinKind.moderator, "9999", now_ms=0)
    return conf, op


def test_pin_helpers():
    h = libconf.hash_pin("123456", fast=True)
    assert h.startswith("$argon2id$")
    assert libconf.verify_pin(h, "123456") and not libconf.verify_pin(h, "123457")
    assert libconf.is_well_formed_pin("0000") and not libconf.is_well_formed_pin("12a4")
    assert len(libconf.generate_pin(8)) == 8
    with pytest.raises(libconf.InvalidArgument, match="digits"):
        libconf.hash_pin("12", fast=True)


def test_admission_roles_full_room_and_queue():
    conf, op = make_conference()
    mod = conf.admit("acme", "review", "+4930111", pin="9999", now_ms=1000)
    assert mod.outcome == libconf.AdmitOutcome.joined and mod.role == libconf.Role.moderator
    wrong = conf.admit("acme", "review", "+4930222", pin="0000", now_ms=2000)
    assert wrong.outcome == libconf.AdmitOutcome.wrong_pin
    a = conf.admit("acme", "review", "+4930222", pin="4711", now_ms=3000)
    b = conf.admit("acme", "review", "+4930333", pin="4711", now_ms=4000)
    assert a.role == libconf.Role.participant
    full = conf.admit("acme", "review", "+4930444", pin="4711", now_ms=5000)
    assert full.outcome == libconf.AdmitOutcome.route_to_operator
    assert full.reason == libconf.Errc.room_full
    entry = conf.take_from_queue(op, now_ms=8000)
    assert entry.caller_id == "+4930444" and entry.waited_ms == 3000
    with pytest.raises(libconf.NotFound):
        conf.take_from_queue(op, now_ms=8000)
    view = conf.room("acme", "review")
    assert view.members == [mod.participant, a.participant, b.participant] and view.moderator_present
    events = conf.drain_events()
    names = [e["event"] for e in events]
    rejected = [e for e in events if e["event"] == "pin_rejected"]
    assert [(e["caller_id"], e["failures"], e["at_ms"]) for e in rejected] == [("+4930222", 1, 2000)]
    assert "routed_to_operator" in names
    joined = [e for e in events if e.get("caller_id") == "+4930222" and "role" in e]
    assert joined and joined[0]["role"] == "participant"


def test_moderation_and_side_room():
    conf, op = make_conference()
    mod = conf.admit("acme", "review", "+1", pin="9999").participant
    a = conf.admit("acme", "review", "+2", pin="4711").participant
    b = conf.admit("acme", "review", "+3", pin="4711").participant
    moderator = conf.actor_of(mod)
    participant = conf.actor_of(a)
    conf.set_muted(moderator, b, True, now_ms=10)
    assert conf.participant(b).muted
    with pytest.raises(libconf.PermissionDenied):
        conf.kick(participant, b, "no", now_ms=11)
    side = conf.create_side_room(moderator, "review", [a, b], now_ms=20)
    assert side.startswith("review/")
    assert {p.id for p in conf.roster("acme", side)} == {a, b}
    conf.bring_back(moderator, side, now_ms=30)
    assert conf.participant(a).room == "review"
    conf.kick(moderator, b, "bye", now_ms=40)
    with pytest.raises(libconf.NotFound):
        conf.participant(b)
    assert conf.participant_count("acme") == 2


def test_authority_is_the_moderators_room_not_the_tenant():
    conf, op = make_conference()
    conf.create_room(op, libconf.RoomConfig("board"), now_ms=0)
    conf.set_pin(op, "board", libconf.PinKind.participant, "5555", now_ms=0)
    mod = conf.actor_of(conf.admit("acme", "review", "+1", pin="9999").participant)
    board = conf.admit("acme", "board", "+2", pin="5555").participant
    with pytest.raises(libconf.PermissionDenied):
        conf.set_muted(mod, board, True)
    with pytest.raises(libconf.PermissionDenied):
        conf.admit_direct(mod, "board", "+3")  # no skipping board's PIN
    assert not conf.participant(board).muted
    denied = [e for e in conf.drain_events() if e["event"] == "action_denied"]
    assert denied and denied[-1]["room"] == "board" and denied[-1]["action"] == "invite"
    console = libconf.Actor("acme", libconf.Role.moderator, room="board")
    conf.set_muted(console, board, True)
    assert conf.participant(board).muted
