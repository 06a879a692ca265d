from silahap.accounts import access


def roles(request):
    """The current user's roles, for menus; computed lazily so anonymous pages cost nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set(), "primary_role": None}
    return {"user_roles": access.roles_of(user), "primary_role": access.primary_role(user)}
