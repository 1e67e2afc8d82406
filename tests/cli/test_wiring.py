"""The CLI's composition root: everything a command gets works over one open store."""

from __future__ import annotations

import argparse
import json

from connect_four.cli.wiring import open_app


def test_the_app_the_log_the_read_models_and_the_check_share_one_store() -> None:
    with open_app(argparse.Namespace(store="memory:")) as wiring:
        game_id = wiring.app.create_game("ann", "bob")
        with wiring.read_models() as read_models:
            read_models.catch_up(["games"])
            listed = read_models.game(game_id)
            head = read_models.head()
        logged = [record.type for record in wiring.log.records(game_id)]
        survey = wiring.scan()

    assert listed is not None
    assert (listed.player_one, listed.player_two) == ("ann", "bob")
    assert head == 1
    assert logged == ["GameStarted"]
    assert survey.is_healthy
    assert survey.events == 1


def test_games_the_table_service_opens_are_the_apps_and_from_the_terminal() -> None:
    with open_app(argparse.Namespace(store="memory:")) as wiring:
        opening = wiring.tables().open_game("ann", "bob")
        game = wiring.app.get_game(opening.game_id)
        started = wiring.log.records(opening.game_id)[0]

    assert (game.player_one, game.player_two) == ("ann", "bob")
    assert json.loads(started.metadata)["via"] == "terminal"


def test_every_player_service_of_the_wiring_sees_the_same_claims() -> None:
    with open_app(argparse.Namespace(store="memory:")) as wiring:
        claimed = wiring.players().claim("ann")
        again = wiring.players().claim("ann", [claimed.secret or ""])

    assert claimed.secret is not None
    assert again.secret is None  # the store already holds the claim
