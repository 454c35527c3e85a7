"""Accounts: passwords that cannot be guessed, changing one's own, and the efficiency office
deactivating an account on the web and with the CLI (its logins and API tokens end with it)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.publish.content import load_directory
from portal.models import AuditEvent, LoginSession, User
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import PASSWORD, csrf_token, log_in, make_user
from tests.helpers import visible_text

NEW = "lantern quietly orbits paper"
PASSWORD_PAGE = "/{lang}/desk/password"
TOO_EASY = {"zh-hans": "密码太容易被猜到", "zh-hant": "密碼太容易被猜到", "en": "This password is too easy to guess"}


@pytest.fixture
def desk(app):
    """The fixture city, an account of 99010001FG and an administrator."""
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    make_user(app, "fg", "99010001FG")
    make_user(app, "boss", None, admin=True)
    return app


def audit(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def change(client, current, new, again=None, lang="zh-hans"):
    page = client.get(PASSWORD_PAGE.format(lang=lang))
    assert page.status_code == 200
    return client.post(PASSWORD_PAGE.format(lang=lang), data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "current": current, "new": new,
        "again": new if again is None else again})


# --- Which passwords may be chosen ------------------------------------------------------------

@pytest.mark.parametrize("weak", [
    "password123", "1234567890", "qwertyuiop", "1q2w3e4r5t", "Password123!", "iloveyou123", "aaaaaaaaaaaa",
    "woaini1314520", "zhangwei123", "zhang19850612", "wangfang1988", "mingjing2026", "99010001FG!", "fgfgfgfgfg12",
])
def test_guessable_passwords_are_refused_on_the_web(desk, weak):
    admin = desk.test_client()
    log_in(admin, "boss")
    page = admin.get("/en/desk/users").get_data(as_text=True)
    response = admin.post("/en/desk/users", data={
        "csrf_token": csrf_token(page), "username": "songlin", "password": weak, "department": "99010101SL"})
    assert response.status_code == 422, weak
    assert TOO_EASY["en"] in visible_text(response.get_data(as_text=True))
    with desk.app_context():
        assert db.session.scalars(select(User).where(User.username == "songlin")).first() is None


@pytest.mark.parametrize("blank", [" " * 12, "\t" * 10 + "\n", "\u3000" * 12])
def test_a_password_of_spaces_is_refused(desk, monkeypatch, blank):
    monkeypatch.setenv("PORTAL_PASSWORD", blank)
    result = desk.test_cli_runner().invoke(args=["users", "create", "songlin", "--department", "99010101SL"])
    assert result.exit_code != 0 and "密码不能全是空格" in result.output


def test_short_passwords_are_still_refused(desk, monkeypatch):
    monkeypatch.setenv("PORTAL_PASSWORD", "x7#Kq!9z")
    result = desk.test_cli_runner().invoke(args=["users", "create", "songlin", "--department", "99010101SL"])
    assert result.exit_code != 0 and "密码至少 10 位" in result.output


# --- Changing one's own password -------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "en"])
def test_a_user_changes_their_password_and_other_sessions_end(desk, lang):
    other_device = desk.test_client()
    log_in(other_device, "fg")
    client = desk.test_client()
    log_in(client, "fg", lang=lang)
    response = change(client, PASSWORD, NEW, lang=lang)
    assert response.status_code == 302
    assert client.get(f"/{lang}/desk/").status_code == 200  # this session goes on
    assert other_device.get("/zh-hans/desk/").status_code == 302  # the other one is over
    assert log_in(desk.test_client(), "fg", PASSWORD).status_code == 401
    assert log_in(desk.test_client(), "fg", NEW).status_code == 302
    [entry] = audit(desk, "password.change")
    assert entry.actor == "fg" and entry.detail == {"sessions_ended": 1, "tokens_revoked": []}
    assert PASSWORD not in str(entry.detail) and NEW not in str(entry.detail)


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "en"])
def test_the_password_page_speaks_each_language(desk, lang):
    client = desk.test_client()
    log_in(client, "fg", lang=lang)
    text = visible_text(change(client, PASSWORD, "password1234", lang=lang).get_data(as_text=True))
    assert TOO_EASY[lang] in text
    title = {"zh-hans": "修改密码", "zh-hant": "修改密碼", "en": "Change password"}[lang]
    assert title in text


def test_a_change_needs_the_current_password_the_same_twice_and_a_csrf_token(desk):
    client = desk.test_client()
    log_in(client, "fg")
    wrong = change(client, "not my password", NEW)
    assert wrong.status_code == 422 and "当前密码不正确" in visible_text(wrong.get_data(as_text=True))
    mismatch = change(client, PASSWORD, NEW, again=NEW + "!")
    assert mismatch.status_code == 400 and "两次输入的新密码不一致" in visible_text(mismatch.get_data(as_text=True))
    forged = client.post("/zh-hans/desk/password", data={"current": PASSWORD, "new": NEW, "again": NEW})
    assert forged.status_code == 400
    assert log_in(desk.test_client(), "fg", PASSWORD).status_code == 302  # unchanged throughout
    assert audit(desk, "password.change") == []


def test_guessing_the_current_password_is_throttled_like_logging_in(desk):
    client = desk.test_client()
    log_in(client, "fg")
    for _ in range(5):
        assert change(client, "a wrong guess!", NEW).status_code == 422
    response = change(client, PASSWORD, NEW)  # the right one waits too
    assert response.status_code == 422 and "登录失败次数过多" in visible_text(response.get_data(as_text=True))


def test_the_password_page_needs_a_login(desk):
    response = desk.test_client().get("/zh-hans/desk/password")
    assert response.status_code == 302 and "/desk/login" in response.headers["Location"]


# --- Deactivating an account -----------------------------------------------------------------

def test_admin_deactivates_an_account_on_the_web(desk):
    victim = desk.test_client()
    log_in(victim, "fg")
    secret = desk.test_cli_runner().invoke(args=["users", "token", "fg"]).output.strip()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert victim.get("/api/v1/templates/powers.csv", headers=bearer).status_code == 200

    admin = desk.test_client()
    log_in(admin, "boss")
    page = admin.get("/en/desk/users").get_data(as_text=True)
    with desk.app_context():
        fg_id = db.session.scalars(select(User.id).where(User.username == "fg")).one()
        boss_id = db.session.scalars(select(User.id).where(User.username == "boss")).one()
    assert f"/en/desk/users/{fg_id}/deactivate" in page
    assert f"/en/desk/users/{boss_id}/deactivate" not in page  # not oneself
    response = admin.post(f"/en/desk/users/{fg_id}/deactivate", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    text = visible_text(response.get_data(as_text=True))
    assert "Deactivated the account fg. Sessions signed out: 1. API tokens revoked: 1." in text
    assert "Deactivated" in text

    assert victim.get("/zh-hans/desk/").status_code == 302  # their session is over
    assert victim.get("/api/v1/templates/powers.csv", headers=bearer).status_code == 401  # and the token
    assert log_in(desk.test_client(), "fg").status_code == 401  # and no new login
    with desk.app_context():
        assert db.session.scalars(select(LoginSession).join(User).where(
            User.username == "fg", LoginSession.ended_at.is_(None))).all() == []
    [entry] = audit(desk, "user.deactivate")
    assert entry.actor == "boss" and entry.detail["username"] == "fg"
    assert entry.detail["sessions_ended"] == 1 and entry.detail["tokens_revoked"] == [secret[:10]]


def test_deactivation_needs_an_admin_a_csrf_token_and_not_oneself(desk):
    with desk.app_context():
        ids = dict(db.session.execute(select(User.username, User.id)).all())
    fg = desk.test_client()
    log_in(fg, "fg")
    token = csrf_token(fg.get("/zh-hans/desk/").get_data(as_text=True))
    assert fg.post(f"/zh-hans/desk/users/{ids['boss']}/deactivate", data={"csrf_token": token}).status_code == 403
    admin = desk.test_client()
    log_in(admin, "boss")
    assert admin.post(f"/zh-hans/desk/users/{ids['fg']}/deactivate").status_code == 400
    token = csrf_token(admin.get("/zh-hans/desk/users").get_data(as_text=True))
    own = admin.post(f"/zh-hans/desk/users/{ids['boss']}/deactivate", data={"csrf_token": token},
                     follow_redirects=True)
    assert "不能停用自己的账号" in visible_text(own.get_data(as_text=True))
    assert admin.post("/zh-hans/desk/users/99999/deactivate", data={"csrf_token": token}).status_code == 404
    assert audit(desk, "user.deactivate") == []
    with desk.app_context():
        assert all(db.session.scalars(select(User.active)))


def test_cli_deactivates_and_resets(desk, monkeypatch):
    victim = desk.test_client()
    log_in(victim, "fg")
    runner = desk.test_cli_runner()
    secret = runner.invoke(args=["users", "token", "fg"]).output.strip()
    result = runner.invoke(args=["users", "deactivate", "fg"])
    assert result.exit_code == 0 and "1 login sessions ended, 1 API tokens revoked" in result.output
    assert victim.get("/zh-hans/desk/").status_code == 302
    assert victim.get("/api/v1/templates/powers.csv", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    again = runner.invoke(args=["users", "deactivate", "fg"])
    assert again.exit_code != 0 and "已经停用" in again.output
    assert runner.invoke(args=["users", "deactivate", "nobody"]).exit_code != 0
    [entry] = audit(desk, "user.deactivate")
    assert entry.actor == "cli"

    log_in(desk.test_client(), "boss")
    monkeypatch.setenv("PORTAL_PASSWORD", "qwerty12345")
    weak = runner.invoke(args=["users", "password", "boss"])
    assert weak.exit_code != 0 and "密码太容易被猜到" in weak.output
    monkeypatch.setenv("PORTAL_PASSWORD", NEW)
    reset = runner.invoke(args=["users", "password", "boss"])
    assert reset.exit_code == 0 and "1 login sessions ended" in reset.output
    assert log_in(desk.test_client(), "boss", NEW).status_code == 302
    [entry] = audit(desk, "password.reset")
    assert entry.actor == "cli" and entry.detail["username"] == "boss"


# --- A new password ends the account's API tokens too ------------------------------------------

TEMPLATE = "/api/v1/templates/powers.csv"
TOKENS_REVOKED = {"zh-hans": "作废了本账号的 2 个 API 令牌", "zh-hant": "作廢了本帳號的 2 個 API 令牌",
                  "en": "API tokens of this account revoked: 2."}


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "en"])
def test_changing_ones_password_revokes_every_api_token(desk, lang):
    runner = desk.test_cli_runner()
    old = [runner.invoke(args=["users", "token", "fg", "--label", label]).output.strip() for label in ("a", "b")]
    client = desk.test_client()
    log_in(client, "fg", lang=lang)
    assert all(client.get(TEMPLATE, headers=bearer(secret)).status_code == 200 for secret in old)
    response = change(client, PASSWORD, NEW, lang=lang)
    assert response.status_code == 302
    text = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert TOKENS_REVOKED[lang] in text
    api = desk.test_client()
    assert [api.get(TEMPLATE, headers=bearer(secret)).status_code for secret in old] == [401, 401]
    fresh = runner.invoke(args=["users", "token", "fg"]).output.strip()
    assert api.get(TEMPLATE, headers=bearer(fresh)).status_code == 200
    [entry] = audit(desk, "password.change")
    assert entry.detail["sessions_ended"] == 0
    assert sorted(entry.detail["tokens_revoked"]) == sorted(secret[:10] for secret in old)


def test_a_wrong_current_password_revokes_nothing(desk):
    secret = desk.test_cli_runner().invoke(args=["users", "token", "fg"]).output.strip()
    client = desk.test_client()
    log_in(client, "fg")
    assert change(client, "not my password at all", NEW).status_code == 422
    assert desk.test_client().get(TEMPLATE, headers=bearer(secret)).status_code == 200


def test_a_password_without_tokens_says_nothing_of_tokens(desk):
    client = desk.test_client()
    log_in(client, "fg", lang="en")
    response = change(client, PASSWORD, NEW, lang="en")
    text = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "signed out" in text and "API tokens of this account revoked" not in text


def test_a_reset_by_the_office_revokes_every_api_token(desk, monkeypatch):
    runner = desk.test_cli_runner()
    secret = runner.invoke(args=["users", "token", "fg"]).output.strip()
    assert desk.test_client().get(TEMPLATE, headers=bearer(secret)).status_code == 200
    monkeypatch.setenv("PORTAL_PASSWORD", NEW)
    reset = runner.invoke(args=["users", "password", "fg"])
    assert reset.exit_code == 0 and "1 API tokens revoked" in reset.output
    api = desk.test_client()
    assert api.get(TEMPLATE, headers=bearer(secret)).status_code == 401
    fresh = runner.invoke(args=["users", "token", "fg"]).output.strip()
    assert api.get(TEMPLATE, headers=bearer(fresh)).status_code == 200
    [entry] = audit(desk, "password.reset")
    assert entry.detail["tokens_revoked"] == [secret[:10]]
