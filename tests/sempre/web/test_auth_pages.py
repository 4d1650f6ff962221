import re

from django.core import mail
from django.urls import reverse


def test_login_page_renders_with_labels(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert '<label for="id_username">' in response.text
    assert reverse("password_reset") in response.text


def test_login_then_dashboard(client, social_worker):
    response = client.post(reverse("login"), {"username": "anna", "password": "secret-pass-123"})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_login_wrong_password_shows_an_error(client, social_worker):
    response = client.post(reverse("login"), {"username": "anna", "password": "wrong"})

    assert response.status_code == 200
    assert 'role="alert"' in response.text


def test_logout_is_a_post(client_for, social_worker):
    client = client_for(social_worker)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302  # logged out: sent to the login


def test_password_change(client_for, social_worker):
    client = client_for(social_worker)
    assert client.get(reverse("password_change")).status_code == 200

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "fruit-bags-2025!",
            "new_password2": "fruit-bags-2025!",
        },
        follow=True,
    )

    assert "Your password was changed" in response.text
    social_worker.refresh_from_db()
    assert social_worker.check_password("fruit-bags-2025!")


def test_password_change_mismatch_shows_error(client_for, social_worker):
    response = client_for(social_worker).post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "fruit-bags-2025!",
            "new_password2": "other-2025!",
        },
    )

    assert "new_password2" in response.context["form"].errors
    social_worker.refresh_from_db()
    assert social_worker.check_password("secret-pass-123")


def test_password_reset_by_email_link(client, social_worker):
    response = client.post(reverse("password_reset"), {"email": "anna@example.org"}, follow=True)

    assert "Check your e-mail" in response.text
    (message,) = mail.outbox
    assert message.subject == "Choose a new password for SEMPRE"
    assert "anna" in message.body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)

    confirm = client.get(link, follow=True)
    assert "Choose a new password" in confirm.text
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "fruit-bags-2025!", "new_password2": "fruit-bags-2025!"},
        follow=True,
    )
    assert "Your new password is saved" in done.text
    social_worker.refresh_from_db()
    assert social_worker.check_password("fruit-bags-2025!")


def test_password_reset_invalid_link_says_so(client, social_worker):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "wrong-token"]))

    assert "This link does not work any more" in response.text


def test_logged_out_template_renders(client):
    from django.template.loader import render_to_string

    html = render_to_string("registration/logged_out.html")

    assert "You are logged out" in html
