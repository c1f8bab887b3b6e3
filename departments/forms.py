from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.audit import audit_record
from departments.security import is_locked


class LoginForm(AuthenticationForm):
    """Django's login form, with the lockout said plainly instead of "wrong password"."""

    def clean(self) -> dict[str, object]:
        username = self.cleaned_data.get("username")
        if username and is_locked(username, timezone.now()):
            audit_record(event="login_refused_locked", request=self.request, username=username,
                         outcome="refused")
            raise ValidationError(_("账号已因连续 5 次登录失败被锁定 15 分钟，请稍后再试。"),
                                  code="locked")
        return super().clean()
