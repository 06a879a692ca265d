from django.contrib.auth import views as auth_views
from django.urls import path

from silahap.accounts import views
from silahap.accounts.views import otp as views_otp

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("offline/", views.offline_shell, name="offline_shell"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The page a password-reset link opens (sent from the admin to the person's own email).
    path(
        "account/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("account/security/", views_otp.security, name="security"),
    path("account/security/enrol/", views_otp.otp_enrol, name="otp_enrol"),
    path("account/security/verify/", views_otp.otp_verify, name="otp_verify"),
    path(
        "account/security/recovery-codes/",
        views_otp.otp_recovery_codes,
        name="otp_recovery_codes",
    ),
    path("account/security/users/", views_otp.otp_user_list, name="otp_user_list"),
    path(
        "account/security/users/<int:pk>/reset/",
        views_otp.otp_device_reset,
        name="otp_device_reset",
    ),
]
