"""Wrong passwords sent in parallel get no more guesses than the limit: counting an account's recent
failures and recording the attempt are one step that parallel requests cannot both pass."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import LoginAttempt
from tests.desk_helpers import PASSWORD, csrf_token, log_in
from tests.helpers import visible_text

PARALLEL = 12
WRONG = "用户名或密码不正确"
THROTTLED = "登录失败次数过多"


def in_parallel(app, attempt, count: int = PARALLEL, clients=None, form="/zh-hans/desk/login") -> list[str]:
    """Run `attempt(client, csrf token)` in `count` threads at once, each with its own client (and
    so its own database session), its token read from `form`; return the visible text of each answer."""
    clients = clients or [app.test_client() for _ in range(count)]
    pages = [client.get(form).get_data(as_text=True) for client in clients]
    start = threading.Barrier(count)
    answers: list[str] = []
    failures: list[BaseException] = []

    def run(client, page):
        try:
            start.wait()
            answers.append(visible_text(attempt(client, csrf_token(page)).get_data(as_text=True)))
        except BaseException as error:  # a thread's error would be lost; the test reports it
            failures.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(clients, pages)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(answers) == count
    return answers


def wrong_login(client, token):
    return client.post("/zh-hans/desk/login", data={"csrf_token": token, "username": "fg",
                                                    "password": "a wrong guess!"})


def test_parallel_wrong_passwords_get_no_more_guesses_than_the_limit(desk):
    most = desk.config["LOGIN_MAX_PER_ACCOUNT"]
    answers = in_parallel(desk, wrong_login)
    checked = [a for a in answers if WRONG in a]
    assert len(checked) <= most
    assert all(WRONG in a or THROTTLED in a for a in answers)
    with desk.app_context():
        failed = db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.username == "fg", LoginAttempt.succeeded.is_(False)))
    assert failed == PARALLEL  # every attempt is counted, the refused ones too
    refused = log_in(desk.test_client(), "fg", PASSWORD)  # the right password waits now
    assert refused.status_code == 401 and THROTTLED in visible_text(refused.get_data(as_text=True))


def test_parallel_right_passwords_within_the_limit_all_log_in(desk):
    # An attempt counts as a failure until its password is checked: a burst of more logins than
    # the limit at the same moment would wait too, as it cannot be told from guessing.
    count = desk.config["LOGIN_MAX_PER_ACCOUNT"] - 1

    def right_login(client, token):
        return client.post("/zh-hans/desk/login", data={"csrf_token": token, "username": "fg",
                                                        "password": PASSWORD})
    answers = in_parallel(desk, right_login, count)
    assert not any(WRONG in a or THROTTLED in a for a in answers)
    with desk.app_context():
        rows = db.session.execute(select(LoginAttempt.succeeded, func.count())
                                  .group_by(LoginAttempt.succeeded)).all()
    assert dict(rows) == {True: count}


def test_parallel_guesses_of_the_current_password_get_no_more_than_the_limit(desk):
    clients = [desk.test_client() for _ in range(PARALLEL)]
    for client in clients:
        assert log_in(client, "fg").status_code == 302

    def wrong_change(client, token):
        return client.post("/zh-hans/desk/password", data={
            "csrf_token": token, "current": "a wrong guess!", "new": "lantern quietly orbits paper",
            "again": "lantern quietly orbits paper"})
    answers = in_parallel(desk, wrong_change, clients=clients, form="/zh-hans/desk/password")
    assert len([a for a in answers if "当前密码不正确" in a]) <= desk.config["LOGIN_MAX_PER_ACCOUNT"]
    assert all("当前密码不正确" in a or THROTTLED in a for a in answers)
    assert log_in(desk.test_client(), "fg", "lantern quietly orbits paper").status_code == 401
