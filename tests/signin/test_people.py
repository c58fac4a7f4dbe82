"""Names beside person ids: learnt from each sign-in, said where that person shared
something; a person this app never saw stays an id; nothing but a name is kept."""

from __future__ import annotations

from dashboard.shared.config import load_config
from dashboard.signin import people


def test_a_signed_in_persons_name_is_said_for_their_id_and_nobody_elses(tmp_path):
    config = load_config({"BUCKET_DATA_DIR": str(tmp_path)}, secret_files=[])
    person = "dcd:persons:ea642122-0a6f-4e0a-9a39-1d2b3c4d5e6f"
    assert people.name_of(config, person) is None
    people.remember(config, {"sub": person, "name": "Demo <b>Designer</b>", "email": "d@x.nl"})
    assert people.name_of(config, person) == "Demo <b>Designer</b>"  # shown as text
    people.remember(config, {"sub": "not a person id", "name": "Eve"})  # not kept
    people.remember(config, {"sub": "dcd:persons:other", "name": "  "})  # no name: not kept
    assert people.name_of(config, "dcd:persons:other") is None
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert b"d@x.nl" not in stored  # only the name
