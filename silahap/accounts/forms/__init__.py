"""The accounts forms: logging in (login) and the second factor (otp)."""
