import pytest

import libconf


def test_default_menu_room_pin_join():
    s = libconf.IvrSession(libconf.Menu.builtin_default())
    assert s.start(0) == [{"action": "play_prompt", "id": "welcome"}]
    assert s.on_prompt_done(3000) == [{"action": "play_prompt", "id": "enter_room"}]
    assert s.on_digits("123#", 3100) == [{"action": "stop_prompt"}, {"action": "lookup_room", "room": "123"}]
    assert s.on_host_reply("room_found", now_ms=4000) == [{"action": "play_prompt", "id": "enter_pin"}]
    s.on_prompt_done(5000)
    assert s.on_digits("4711#", 5100) == [{"action": "check_pin", "room": "123", "pin": "4711"}]
    assert s.on_host_reply("pin_ok", libconf.Role.moderator, now_ms=6500) == [
        {"action": "play_prompt", "id": "joining"}]
    final = s.on_prompt_done(7000)
    assert final == [{"action": "join", "room": "123", "role": libconf.Role.moderator}]
    assert s.finished


def test_wrong_pins_go_to_the_operator():
    s = libconf.IvrSession(libconf.Menu.builtin_default())
    now = 0
    actions = s.start(now)
    for _ in range(40):
        if s.finished:
            break
        kinds = [a["action"] for a in actions]
        now += 1000
        if "play_prompt" in kinds:
            actions = s.on_prompt_done(now)
        elif "lookup_room" in kinds:
            actions = s.on_host_reply("room_found", now_ms=now)
        elif "check_pin" in kinds:
            actions = s.on_host_reply("pin_wrong", now_ms=now)
        else:
            actions = s.on_digits("55#" if s.state_name == "room" else "0000#", now)
    final = [a for a in actions if a["action"] == "route_to_operator"]
    assert final and final[-1]["reason"] == "wrong_pin" and final[-1]["room"] == "55"
    assert s.pin_failures == 3


def test_menu_errors():
    with pytest.raises(libconf.ParseError, match="m.json"):
        libconf.Menu.parse("{oops", "m.json")
    with pytest.raises(libconf.InvalidArgument):
        libconf.IvrSession(libconf.Menu.builtin_default()).on_host_reply("maybe")
    assert libconf.Menu.parse(libconf.Menu.builtin_default_json(), "default").state_count == 4
