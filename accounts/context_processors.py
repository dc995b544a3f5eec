from .roles import Role, user_roles


def roles(request):
    names = user_roles(getattr(request, "user", None))
    return {
        "user_roles": names,
        "Role": Role,
        "is_programme_staff": bool(names & {Role.PROGRAMME_OFFICER, Role.APPROVER}),
    }
