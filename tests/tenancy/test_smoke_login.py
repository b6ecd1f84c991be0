"""The real login flow, end to end through the form."""


def test_login_form_logs_in_and_shows_roles(web, world):
    response = web.login("admin", world.password)
    assert response.status_code == 302
    home = web.get("/").get_data(as_text=True)
    assert "甲县教育局" in home or "ALPHA" in home
