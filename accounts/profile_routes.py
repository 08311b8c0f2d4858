"""Your profile (the language of your pages and your time zone) and the login page's
language switch, for visitors who are not logged in (a cookie; web/i18n.py reads both)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user

from accounts import services
from accounts.forms import LanguageForm, ProfileForm
from accounts.routes import bp, remember_language, safe_next
from extensions import db


@bp.route("/account", methods=["GET", "POST"])
def profile():
    form = ProfileForm(
        data=None
        if request.method == "POST"
        else {
            "language": current_user.language or "",
            "time_zone": current_user.time_zone or "UTC",
        }
    )
    if form.validate_on_submit():
        services.change_preferences(current_user, form.language.data, form.time_zone.data)
        db.session.commit()
        refresh()  # the message is in the language just chosen
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("accounts.profile"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/profile.html", form=form), status


@bp.post("/language")
def choose_language():
    """The login page's switch: the language a visitor's pages are in, kept in a cookie (a
    logged-in user's own setting, on the profile page, comes first)."""
    form = LanguageForm()
    back = safe_next(form.next.data, url_for("accounts.login"))
    if not form.validate_on_submit():
        return redirect(back)
    return remember_language(redirect(back), form.language.data)
