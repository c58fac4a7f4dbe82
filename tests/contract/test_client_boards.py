"""Boards on both servers: a board stored as the app stores it (a TEXT property of the
boards thing, the JSON document as its newest value) reads back exactly, note text with
quotes, commas, new lines and emoji included; each save is a version, listed newest first;
shared with a group, a member finds it and reads the same document through the group."""

from __future__ import annotations

from dataclasses import replace

from bucket_client import BucketClient, sharing
from dashboard.boards import board_store
from dashboard.boards.board_document import Board, Panel, PropertyRef, read_board

from ..conftest import DEMO_EMAIL, OTHER_EMAIL
from .test_consents import SCOPE, group  # noqa: F401 (the fixture)

NOTE = 'He said "water at 9, not 10"\nthen left 🌱, é, \\ and a tab\t.'


def test_a_board_is_stored_read_versioned_and_shared(server, group):  # noqa: F811
    owner = BucketClient(server.api_url, server.token(DEMO_EMAIL, SCOPE))
    member = BucketClient(server.api_url, server.token(OTHER_EMAIL, SCOPE))
    rig = owner.create_thing("Board rig", "Logger")
    boards = board_store.make_thing(owner)
    try:
        soil = owner.create_property(rig.id, "Soil", "TEMPERATURE")
        owner.write_values(rig.id, soil.id, [[1_790_000_000_000, 19.25]])
        board = Board(
            "Our prototype",
            (
                Panel("last", "Soil now", "small", (PropertyRef(rig.id, soil.id),)),
                Panel("note", "Read me", "large", text=NOTE),
            ),
        )
        key = board_store.create(owner, boards, board)
        (stored,) = board_store.own_boards(owner, [owner.get_thing(boards.id)])
        assert stored.key == key and stored.problem == "" and stored.board == board
        assert stored.name == "Our prototype"
        found = board_store.boards_thing(owner.list_things())
        assert found is not None and found.id == boards.id

        changed = replace(board, panels=board.panels[:1])
        board_store.save_next(owner, stored, changed)
        (again,) = board_store.own_boards(owner, [owner.get_thing(boards.id)])
        assert again.board == changed
        kept = board_store.versions(owner, again)
        assert len(kept) == 2 and kept[0][0] > kept[1][0]
        assert read_board(kept[1][1]) == board  # the first version, note text exactly

        done = board_store.share(owner, again, group, {soil.id})
        assert sorted(done) == sorted([key, soil.id])
        assert board_store.share(owner, again, group, {soil.id}) == []  # nothing twice
        listed = [s for s in sharing.shared_with_me(member) if s.prop.id == key]
        assert len(listed) == 1 and listed[0].thing_name == board_store.THING_NAME
        theirs = board_store.read_stored(
            member.shared_through(group), boards.id, listed[0].prop, listed[0].owner, group
        )
        assert theirs.board == changed and theirs.owner == listed[0].owner
    finally:
        for thing in (rig, boards):
            for prop in owner.list_properties(thing.id):
                owner.delete_property(thing.id, prop.id)
            owner.delete_thing(thing.id)
